import type { ImageDetail } from '../../../../../core/api/images.schema';
import { execForm, splitEnv } from './imageText';
import { Field, None, Section } from './Section';

function Code({ value }: { value: string | null }) {
  return value ? <code className="wrap">{value}</code> : <None />;
}

function Chips({ items, testId }: { items: string[]; testId?: string }) {
  if (items.length === 0) return <None />;
  return (
    <ul className="chips" data-testid={testId}>
      {items.map((item) => (
        <li key={item} className="chip">
          {item}
        </li>
      ))}
    </ul>
  );
}

/** KEY=VALUE pairs (env, labels) as a two-column table; values wrap rather than widen the panel. */
export function Pairs({ pairs, testId, keyName }: { pairs: [string, string][]; testId: string; keyName: string }) {
  if (pairs.length === 0) return <None />;
  return (
    <table className="pairs" data-testid={testId}>
      <thead className="visually-hidden">
        <tr>
          <th scope="col">{keyName}</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {pairs.map(([k, v], i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list in which a key may repeat
          <tr key={`${i}:${k}`}>
            <th scope="row">
              <code>{k}</code>
            </th>
            <td>
              <code className="wrap">{v}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ConfigSection({ detail }: { detail: ImageDetail }) {
  const c = detail.config;
  return (
    <Section title="Config" testId="detail-config">
      <dl className="fields">
        <Field label="Entrypoint" testId="config-entrypoint">
          <Code value={execForm(c.entrypoint)} />
        </Field>
        <Field label="Cmd" testId="config-cmd">
          <Code value={execForm(c.cmd)} />
        </Field>
        <Field label="Working dir">
          <Code value={c.workingDir} />
        </Field>
        <Field label="User">
          <Code value={c.user} />
        </Field>
        <Field label="Exposed ports">
          <Chips items={c.exposedPorts} testId="config-ports" />
        </Field>
        {c.volumes.length > 0 && (
          <Field label="Volumes">
            <Chips items={c.volumes} />
          </Field>
        )}
        {c.stopSignal && (
          <Field label="Stop signal">
            <code>{c.stopSignal}</code>
          </Field>
        )}
        <Field label="Environment">
          <Pairs pairs={c.env.map(splitEnv)} testId="config-env" keyName="Variable" />
        </Field>
        <Field label="Labels">
          <Pairs pairs={Object.entries(c.labels)} testId="config-labels" keyName="Label" />
        </Field>
      </dl>
    </Section>
  );
}
