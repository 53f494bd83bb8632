// Checkpoints: the signed tree heads, newest first, paged on the server, each downloadable as its
// signed note (C2SP signed-note text, byte for byte as signed).
import { useMutation } from '@tanstack/react-query';
import { api, must } from '../../api/client';
import { filenameOf, saveFile } from '../../ui/download';
import { ForRoles } from '../../ui/guard';
import { Pager, usePagedQuery } from '../../ui/pager';
import { Empty, QueryStates } from '../../ui/states';
import { formatTime } from '../../ui/time';

/** The checkpoints page (auditors and admins). */
export function AuditCheckpoints() {
  const paged = usePagedQuery(['audit', 'checkpoints'], async (cursor) =>
    must(
      await api.GET('/api/v1/audit/checkpoints', {
        params: { query: { ...(cursor ? { cursor } : {}), limit: 25 } },
      }),
    ),
  );
  const { query } = paged;
  return (
    <ForRoles roles={['auditor', 'admin']}>
      <section>
        <h1>Checkpoints</h1>
        <p className="hint">
          Each checkpoint signs the Merkle root of the ledger up to its size. A proof or consistency check is
          only as recent as the newest one.
        </p>
        <QueryStates query={query} what="checkpoints">
          {(data) =>
            data.items.length === 0 ? (
              <Empty title="No checkpoint has been sealed yet.">
                The worker seals one every few minutes; grantflow audit checkpoint seals one now.
              </Empty>
            ) : (
              <>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Id</th>
                      <th scope="col">Tree size</th>
                      <th scope="col">Root hash</th>
                      <th scope="col">Sealed</th>
                      <th scope="col">Signed by</th>
                      <th scope="col">
                        <span className="visually-hidden">Download</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.items.map((checkpoint) => (
                      <tr key={checkpoint.id}>
                        <td>{checkpoint.id}</td>
                        <td>{checkpoint.treeSize}</td>
                        <td>
                          <code className="hash">{checkpoint.rootHash}</code>
                        </td>
                        <td>{formatTime(checkpoint.time ?? checkpoint.createdAt)}</td>
                        <td>{[...checkpoint.signedBy, ...checkpoint.otherSignatures].join(', ') || '—'}</td>
                        <td>
                          <NoteButton id={checkpoint.id} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <Pager {...paged} />
              </>
            )
          }
        </QueryStates>
      </section>
    </ForRoles>
  );
}

function NoteButton({ id }: { id: number }) {
  const note = useMutation({
    mutationFn: async () => {
      const result = await api.GET('/api/v1/audit/checkpoints/{id}/note', {
        params: { path: { id } },
        parseAs: 'text',
      });
      saveFile(
        filenameOf(result.response, `checkpoint-${id}.note`),
        must(result) as unknown as string,
        'text/plain',
      );
    },
  });
  return (
    <>
      <button
        type="button"
        onClick={() => note.mutate()}
        disabled={note.isPending}
        aria-label={`Download the signed note of checkpoint ${id}`}
      >
        Signed note
      </button>
      {note.isError && (
        <span className="error-text" role="alert">
          {note.error.message}
        </span>
      )}
    </>
  );
}
