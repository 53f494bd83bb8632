// Who is signed in, from GET /api/v1/session; every page reads it through useSession().
import { useQuery } from '@tanstack/react-query';
import { api, must, rememberCsrfToken } from './api/client';

/** The signed-in person and their console role. */
export type Session = {
  person: { id: string; email: string; name: string };
  role: 'employee' | 'admin' | 'auditor';
  csrfToken: string;
};

/** The session, or null when nobody is signed in (the app then offers sign-in). */
export function useSession() {
  return useQuery({
    queryKey: ['session'],
    staleTime: 60_000,
    queryFn: async (): Promise<Session | null> => {
      const result = await api.GET('/api/v1/session');
      if (result.response.status === 401) {
        rememberCsrfToken(undefined);
        return null;
      }
      const session = must(result) as Session;
      rememberCsrfToken(session.csrfToken);
      return session;
    },
  });
}
