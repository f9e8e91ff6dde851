import type { BuildDetail } from '../../../../../core/api/builds.schema';
import { Pairs } from '../../images/detail/ConfigSection';
import { Field, None, Section } from '../../images/detail/Section';

function Time({ iso }: { iso: string | null }) {
  return iso ? <span>{new Date(iso).toLocaleString()}</span> : <None />;
}

/** What the build was asked to do, as the engine kept it: the same fields as the New build form. */
export function BuildSettings({ build }: { build: BuildDetail }) {
  return (
    <div className="build-settings" data-testid="build-settings">
      <Section title="Request">
        <dl className="fields">
          <Field label="Build ID">
            <code>{build.buildId}</code>
          </Field>
          <Field label="Context folder">
            <code className="wrap">{build.contextDir}</code>
          </Field>
          <Field label="Dockerfile">
            <code className="wrap">{build.dockerfile}</code>
          </Field>
          <Field label="Tags">{build.tags.length > 0 ? <code className="wrap">{build.tags.join(', ')}</code> : <None />}</Field>
          <Field label="Build arguments">
            <Pairs pairs={Object.entries(build.buildArgs)} keyName="Argument" testId="build-settings-args" />
          </Field>
          <Field label="Target stage">{build.target ? <code>{build.target}</code> : <None />}</Field>
          <Field label="Cache">{build.noCache ? 'Not used (no cache)' : 'Used'}</Field>
        </dl>
      </Section>
      <Section title="Times">
        <dl className="fields">
          <Field label="Started">
            <Time iso={build.startedAt} />
          </Field>
          <Field label="Ended">
            <Time iso={build.endedAt} />
          </Field>
        </dl>
      </Section>
    </div>
  );
}
