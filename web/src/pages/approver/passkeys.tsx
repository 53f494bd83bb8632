// My passkeys: the ones registered, and registering another (the browser creates it, the server
// verifies and keeps its public key; approving high-risk access then asks for it).
import { startRegistration } from '@simplewebauthn/browser';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, must } from '../../api/client';
import { FormError } from '../../ui/form-error';
import { Empty, QueryStates } from '../../ui/states';
import { formatTime } from '../../ui/time';

/** The "Passkeys" page. */
export function Passkeys() {
  const passkeys = useQuery({
    queryKey: ['passkeys'],
    queryFn: async () => must(await api.GET('/api/v1/passkeys')),
  });
  return (
    <section>
      <h1>Passkeys</h1>
      <p>Approving high-risk access asks for a passkey, so your decision is signed by you.</p>
      <QueryStates query={passkeys} what="your passkeys">
        {(data) =>
          data.items.length === 0 ? (
            <Empty title="You have no passkey yet.">
              Register one below before you approve high-risk access.
            </Empty>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Registered</th>
                  <th scope="col">Last used</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((passkey) => (
                  <tr key={passkey.id}>
                    <td>{passkey.name}</td>
                    <td>{formatTime(passkey.createdAt)}</td>
                    <td>{passkey.lastUsedAt ? formatTime(passkey.lastUsedAt) : 'Never'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </QueryStates>
      <RegisterForm />
    </section>
  );
}

function RegisterForm() {
  const queries = useQueryClient();
  const [name, setName] = useState('');
  const register = useMutation({
    mutationFn: async () => {
      const options = must(await api.POST('/api/v1/passkeys/registration-options'));
      const response = await startRegistration({ optionsJSON: options as never });
      return must(
        await api.POST('/api/v1/passkeys', {
          body: { ...(name.trim() ? { name: name.trim() } : {}), response: response as never },
        }),
      );
    },
    onSuccess: async () => {
      setName('');
      await queries.invalidateQueries({ queryKey: ['passkeys'] });
    },
  });
  const cancelled = register.error instanceof Error && register.error.name === 'NotAllowedError';
  return (
    <form
      aria-label="Register a passkey"
      onSubmit={(event) => {
        event.preventDefault();
        register.mutate();
      }}
    >
      <h2>Register a passkey</h2>
      <div className="field">
        <label htmlFor="passkey-name">Name (so you recognise it later)</label>
        <input
          id="passkey-name"
          value={name}
          maxLength={100}
          placeholder="Work laptop"
          onChange={(event) => setName(event.target.value)}
        />
      </div>
      {cancelled ? (
        <p className="error-text" role="alert">
          The passkey prompt was closed or timed out; nothing was registered.
        </p>
      ) : (
        <FormError error={register.error} />
      )}
      {register.isSuccess && (
        <p className="success-text" role="status">
          Passkey “{register.data.name}” registered.
        </p>
      )}
      <button type="submit" className="primary" disabled={register.isPending}>
        {register.isPending ? 'Waiting for your authenticator…' : 'Register a passkey'}
      </button>
    </form>
  );
}
