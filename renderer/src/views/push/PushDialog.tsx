import { useState } from 'react';
import { FormDialog } from '../../components/FormDialog';
import { TextField } from '../../components/form/TextField';
import { useSubmit } from '../../components/useSubmit';
import { useRegistryList } from '../../queries/registryQueries';
import { startPush, whenUnderway } from '../../queries/transferActions';
import { checkReference, checkRegistryHost, registryHost } from '../pull/referenceCheck';

/** Where the image's own name points: its registry (unless Docker Hub) and `repository:tag` there. */
function defaults(reference: string | null): { registry: string; name: string } {
  const parsed = reference ? checkReference(reference) : null;
  if (!parsed?.ok) return { registry: '', name: '' };
  const { domain, path, tag } = parsed.reference;
  return { registry: domain === 'docker.io' ? '' : domain, name: `${path.replace(/^library\//, '')}:${tag ?? 'latest'}` };
}

/** Pushes a local image to a registry under a name chosen here; the Transfers view shows each blob. */
export function PushDialog({
  imageRef,
  reference,
  title,
  onClose,
}: {
  /** What the engine resolves the image by (its name, or its digest when untagged). */
  imageRef: string;
  /** The image's full name, to suggest where to push. */
  reference: string | null;
  title: string;
  onClose: () => void;
}) {
  const registries = useRegistryList();
  const initial = defaults(reference);
  // Null until the person types: meanwhile the image's own registry, or the first one added.
  const [registryText, setRegistryText] = useState<string | null>(null);
  const [name, setName] = useState(initial.name);
  const [touched, setTouched] = useState(false);
  const submit = useSubmit();

  const known = registries.data ?? [];
  const registry = registryText ?? (initial.registry || known[0]?.host || '');
  const host = registryHost(registry);
  const hostProblem = checkRegistryHost(registry);
  const showHostProblem = (touched || registryText !== null) && hostProblem !== null;
  const target = `${host}/${name.trim()}`;
  const check = checkReference(target);
  const nameProblem =
    name.trim() === ''
      ? 'Type a repository and tag, such as team/app:1.0.'
      : !check.ok
        ? check.problem
        : check.reference.digest !== undefined
          ? 'Push to a tag, not a digest.'
          : null;
  const showNameProblem = (touched || name !== initial.name) && nameProblem !== null;
  const ready = hostProblem === null && nameProblem === null && check.ok;

  const onSubmit = () => {
    setTouched(true);
    if (!ready || submit.pending) return;
    void submit.run(async () => {
      await whenUnderway(startPush({ ref: imageRef, target: check.reference.normalized }));
      onClose();
    });
  };

  return (
    <FormDialog
      title="Push to a registry"
      description={
        <>
          Pushes <strong>{title}</strong>: blobs the registry already holds are skipped, and blobs another of its repositories
          holds are mounted instead of uploaded.
        </>
      }
      testIdPrefix="push"
      onClose={onClose}
      onSubmit={onSubmit}
      submit={submit}
      submitLabel="Push"
      pendingLabel="Starting…"
      ready={ready}
    >
      <TextField
        label="Registry"
        value={registry}
        onChange={setRegistryText}
        suggestions={known.map((r) => r.host)}
        hint={known.length > 0 ? 'One you added, or type another host.' : 'A host, such as registry.example:5000.'}
        error={showHostProblem ? hostProblem : null}
        placeholder="registry.example:5000"
        testId="push-registry"
      />
      <TextField
        label="Repository and tag"
        value={name}
        onChange={setName}
        hint={
          ready ? (
            <>
              Pushes to <code data-testid="push-target">{check.reference.normalized}</code>
            </>
          ) : null
        }
        error={showNameProblem ? nameProblem : null}
        placeholder="team/app:1.0"
        testId="push-name"
      />
    </FormDialog>
  );
}
