import type { ContainerDetail } from '../../../../../core/api/containers.schema';
import { formatPort } from '../../../../../core/text/humanize';
import { Digest } from '../../../components/Digest';
import { RawJson } from '../../../components/RawJson';
import { Pairs } from '../../images/detail/ConfigSection';
import { splitEnv } from '../../images/detail/imageText';
import { Field, None, Section } from '../../images/detail/Section';
import { portUrl } from '../portAddress';

function Time({ iso }: { iso: string | null }) {
  return iso ? <span>{new Date(iso).toLocaleString()}</span> : <None />;
}

/** containers.inspect as readable sections, then the whole answer as JSON. */
export function InspectTab({ detail }: { detail: ContainerDetail }) {
  const json = JSON.stringify(detail, null, 2);
  return (
    <div className="inspect-tab" data-testid="inspect-tab">
      <Section title="Overview">
        <dl className="fields">
          <Field label="ID">
            <Digest value={detail.id} label="container ID" full testId="inspect-id" />
          </Field>
          <Field label="Image">
            <code>{detail.image}</code>
            <span className="muted-line">{detail.imageId}</span>
          </Field>
          <Field label="Created">
            <Time iso={detail.created} />
          </Field>
          <Field label="Started">
            <Time iso={detail.startedAt} />
          </Field>
          <Field label="Finished">
            <Time iso={detail.finishedAt} />
          </Field>
          <Field label="Exit code">{detail.exitCode === null ? <None /> : <code>{detail.exitCode}</code>}</Field>
          <Field label="Process ID">{detail.pid === null ? <None /> : <code>{detail.pid}</code>}</Field>
          {detail.error && (
            <Field label="Error">
              <span className="tone-danger">{detail.error}</span>
            </Field>
          )}
          <Field label="Remove on exit">{detail.autoRemove ? 'Yes' : 'No'}</Field>
        </dl>
      </Section>
      <Section title="Command" testId="inspect-command">
        <dl className="fields">
          <Field label="Command" testId="inspect-args">
            <code className="wrap">{detail.command}</code>
            <span className="muted-line">{JSON.stringify(detail.args)}</span>
          </Field>
          <Field label="Working dir">
            <code>{detail.workingDir || '/'}</code>
          </Field>
          <Field label="User">
            <code>{detail.user || 'root'}</code>
          </Field>
          <Field label="Hostname">
            <code>{detail.hostname}</code>
          </Field>
          <Field label="TTY">{detail.tty ? 'Yes' : 'No'}</Field>
          <Field label="Stop signal">
            <code>{detail.stopSignal}</code>
          </Field>
        </dl>
      </Section>
      <Section title="Environment">
        <Pairs pairs={detail.env.map(splitEnv)} testId="inspect-env" keyName="Variable" />
      </Section>
      <Section title="Network" testId="inspect-network">
        <dl className="fields">
          <Field label="Mode">
            <code>{detail.network}</code>
          </Field>
          <Field label="IP address" testId="inspect-ip">
            {detail.ipAddress ? <code>{detail.ipAddress}</code> : <None />}
          </Field>
          <Field label="Ports" testId="inspect-ports">
            {detail.ports.length === 0 ? (
              <None />
            ) : (
              <ul className="plain-list">
                {detail.ports.map((p) => {
                  const url = portUrl(p);
                  return (
                    <li key={`${p.hostIp}:${p.hostPort}/${p.protocol}`}>
                      <code>{formatPort(p)}</code>
                      {url && (
                        <>
                          {' '}
                          <a href={url} target="_blank" rel="noreferrer">
                            {url}
                          </a>
                        </>
                      )}
                    </li>
                  );
                })}
              </ul>
            )}
          </Field>
        </dl>
      </Section>
      <Section title="Volumes">
        {detail.volumes.length === 0 ? (
          <None />
        ) : (
          <table className="data-table" data-testid="inspect-volumes">
            <thead>
              <tr>
                <th scope="col">Host path</th>
                <th scope="col">Container path</th>
                <th scope="col">Mode</th>
              </tr>
            </thead>
            <tbody>
              {detail.volumes.map((v) => (
                <tr key={v.target}>
                  <td>
                    <code className="wrap">{v.source}</code>
                  </td>
                  <td>
                    <code className="wrap">{v.target}</code>
                  </td>
                  <td>{v.readOnly ? 'read-only' : 'read-write'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
      <Section title="Files on the host">
        <dl className="fields">
          <Field label="Bundle">
            <Digest value={detail.bundle} label="the bundle path" full testId="inspect-bundle" />
          </Field>
          <Field label="Log">
            <Digest value={detail.logPath} label="the log path" full testId="inspect-log-path" />
          </Field>
        </dl>
      </Section>
      <Section title="Raw JSON">
        <RawJson summary="containers.inspect" text={json} copyLabel="Copy the inspect JSON" testId="inspect-raw" />
      </Section>
    </div>
  );
}
