import type { Notification, Notifier } from '../../notifications/port.js';

/** A notifier that keeps what it was asked to send, for tests to read. */
export type RecordingNotifier = Notifier & {
  readonly sent: Notification[];
  /** Notifications about one request or grant, in the order sent. */
  about(id: string): Notification[];
};

/** Creates an empty recording notifier. */
export function createRecordingNotifier(): RecordingNotifier {
  const sent: Notification[] = [];
  return {
    sent,
    async send(notification) {
      sent.push(notification);
    },
    about(id) {
      return sent.filter((n) => n.requestId === id || n.grantId === id);
    },
  };
}
