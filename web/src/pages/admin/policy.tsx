// One policy's version history, and a line diff between any two versions of its canonical
// definition (keys sorted, two-space JSON), computed by jsdiff.
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { diffLines } from 'diff';
import { useState } from 'react';
import { api, must } from '../../api/client';
import type { paths } from '../../api/schema';
import { ForRoles } from '../../ui/guard';
import { Empty, QueryStates } from '../../ui/states';
import { formatTime } from '../../ui/time';

const route = getRouteApi('/admin/policies/$key');

/** GET /api/v1/policies/:key/versions, as the API documents it. */
type PolicyVersions =
  paths['/api/v1/policies/{key}/versions']['get']['responses'][200]['content']['application/json'];
/** One stored version with its definition. */
type PolicyVersion = PolicyVersions['items'][number];

/** A definition as canonical text: object keys sorted at every level, so a diff shows only real changes. */
function canonical(value: unknown): string {
  const sorted = (node: unknown): unknown =>
    Array.isArray(node)
      ? node.map(sorted)
      : node && typeof node === 'object'
        ? Object.fromEntries(
            Object.keys(node)
              .sort()
              .map((key) => [key, sorted((node as Record<string, unknown>)[key])]),
          )
        : node;
  return `${JSON.stringify(sorted(value), null, 2)}\n`;
}

/** The admin's page for one policy. */
export function AdminPolicy() {
  return (
    <ForRoles roles={['admin']}>
      <PolicyHistory />
    </ForRoles>
  );
}

function PolicyHistory() {
  const { key } = route.useParams();
  const versions = useQuery({
    queryKey: ['admin', 'policy-versions', key],
    queryFn: async (): Promise<PolicyVersions> =>
      must(await api.GET('/api/v1/policies/{key}/versions', { params: { path: { key } } })),
  });
  return (
    <section>
      <h1>
        Policy <code>{key}</code>
      </h1>
      <QueryStates query={versions} what="the versions">
        {(data) =>
          data.items.length === 0 ? (
            <Empty title="This policy has no stored version." />
          ) : (
            <History versions={[...data.items].sort((a, b) => b.version - a.version)} />
          )
        }
      </QueryStates>
    </section>
  );
}

function History({ versions }: { versions: PolicyVersion[] }) {
  const newest = versions[0]?.version ?? 1;
  const [to, setTo] = useState(newest);
  const [from, setFrom] = useState(versions[1]?.version ?? newest);
  const left = versions.find((version) => version.version === from);
  const right = versions.find((version) => version.version === to);
  return (
    <>
      <h2>Versions</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Recorded</th>
            <th scope="col">By</th>
            <th scope="col">Definition hash</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((version) => (
            <tr key={version.version}>
              <td>{version.version}</td>
              <td>{formatTime(version.createdAt)}</td>
              <td>{version.createdBy}</td>
              <td>
                <code className="hash">{version.definitionHash}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Compare</h2>
      <form className="filters" aria-label="Choose two versions" onSubmit={(event) => event.preventDefault()}>
        <div className="field">
          <label htmlFor="diff-from">From version</label>
          <select id="diff-from" value={from} onChange={(event) => setFrom(Number(event.target.value))}>
            {versions.map((version) => (
              <option key={version.version} value={version.version}>
                {version.version}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="diff-to">To version</label>
          <select id="diff-to" value={to} onChange={(event) => setTo(Number(event.target.value))}>
            {versions.map((version) => (
              <option key={version.version} value={version.version}>
                {version.version}
              </option>
            ))}
          </select>
        </div>
      </form>
      {left && right && <Diff before={canonical(left.definition)} after={canonical(right.definition)} />}
    </>
  );
}

function Diff({ before, after }: { before: string; after: string }) {
  const parts = diffLines(before, after);
  if (parts.every((part) => !part.added && !part.removed)) {
    return <Empty title="The two versions are the same." />;
  }
  return (
    <>
      <h3 className="visually-hidden">Changes between the two versions</h3>
      <pre className="diff">
        {parts.flatMap((part, index) =>
          part.value
            .replace(/\n$/, '')
            .split('\n')
            .map((line, lineIndex) => {
              const kind = part.added ? 'added' : part.removed ? 'removed' : 'same';
              const mark = part.added ? '+ ' : part.removed ? '- ' : '  ';
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: diff lines have no identity but their place
                <span key={`${index}-${lineIndex}`} className={`diff-line diff-${kind}`}>
                  {part.added && <span className="visually-hidden">added: </span>}
                  {part.removed && <span className="visually-hidden">removed: </span>}
                  {mark}
                  {line}
                  {'\n'}
                </span>
              );
            }),
        )}
      </pre>
    </>
  );
}
