import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { BuildRequestArgs } from '../../../../core/api/builds.schema';
import { invoke } from '../../api/client';
import { Dialog, DialogActions, FormField } from '../../components/Dialog';
import { useSubmit } from '../../components/useSubmit';
import { buildKeys } from '../../queries/buildQueries';
import { useUiStore } from '../../state/uiStore';
import { type FlagRow, FlagRows, newRow, rowsValid, rowValues } from '../run/FlagRows';
import { buildRequestFrom, checkBuildArg, checkBuildTag, checkContextDir, dockerfilePath } from './buildForm';

/**
 * Build an image: the fields of `stevedore build` (the context folder on the engine's machine,
 * -f, -t, --build-arg, --target, --no-cache), checked as they are typed. The engine starts the
 * build at once and the build's detail opens; what goes wrong while it runs (no Dockerfile
 * there, a failing RUN) is told there, step by step.
 */
export function NewBuildDialog({ initial, onClose }: { initial: Partial<BuildRequestArgs>; onClose: () => void }) {
  const queryClient = useQueryClient();
  const openBuild = useUiStore((s) => s.openBuild);
  const [contextDir, setContextDir] = useState(initial.contextDir ?? '');
  const [touched, setTouched] = useState(initial.contextDir !== undefined);
  const [dockerfile, setDockerfile] = useState(initial.dockerfile ?? '');
  const [tags, setTags] = useState<FlagRow[]>(() => (initial.tags ?? []).map((t) => newRow(t)));
  const [buildArgs, setBuildArgs] = useState<FlagRow[]>(() =>
    Object.entries(initial.buildArgs ?? {}).map(([k, v]) => newRow(`${k}=${v}`)),
  );
  const [target, setTarget] = useState(initial.target ?? '');
  const [noCache, setNoCache] = useState(initial.noCache ?? false);
  const submit = useSubmit();
  const ids = {
    context: useId(),
    contextHint: useId(),
    dockerfile: useId(),
    dockerfileHint: useId(),
    target: useId(),
    targetHint: useId(),
    noCache: useId(),
  };

  const contextProblem = checkContextDir(contextDir);
  const ready = contextProblem === null && rowsValid(tags, checkBuildTag) && rowsValid(buildArgs, checkBuildArg);
  const reads = contextProblem === null ? dockerfilePath(contextDir, dockerfile) : null;

  const onSubmit = () => {
    setTouched(true);
    if (!ready || submit.pending) return;
    const request = buildRequestFrom({
      contextDir,
      dockerfile,
      tags: rowValues(tags),
      buildArgs: rowValues(buildArgs),
      target,
      noCache,
    });
    void submit.run(async () => {
      const { buildId } = await invoke('builds.start', request);
      void queryClient.invalidateQueries({ queryKey: buildKeys.list });
      openBuild(buildId);
      onClose();
    });
  };

  return (
    <Dialog
      title="New build"
      description="Builds an image from a Dockerfile, as stevedore build does, on the engine’s machine."
      testId="build-dialog"
      wide
      onClose={onClose}
      onSubmit={onSubmit}
      actions={
        <DialogActions
          onCancel={onClose}
          label="Build"
          pendingLabel="Starting…"
          pending={submit.pending}
          ready={ready}
          testId="build-submit"
        />
      }
    >
      <FormField
        label="Context folder"
        htmlFor={ids.context}
        hintId={ids.contextHint}
        error={touched ? contextProblem : null}
        hint="The folder whose files COPY reads, on the engine’s machine."
      >
        <input
          id={ids.context}
          className="text-input text-input--mono"
          value={contextDir}
          data-autofocus
          autoComplete="off"
          spellCheck={false}
          placeholder="/home/me/app"
          aria-invalid={touched && contextProblem !== null}
          aria-describedby={ids.contextHint}
          data-testid="build-context"
          onChange={(e) => {
            setContextDir(e.target.value);
            setTouched(true);
            submit.setError(null);
          }}
        />
      </FormField>
      <FormField
        label="Dockerfile"
        htmlFor={ids.dockerfile}
        hintId={ids.dockerfileHint}
        hint={
          reads ? (
            <>
              Reads <code data-testid="build-dockerfile-path">{reads}</code>
            </>
          ) : (
            'Relative to the context folder; empty reads its Dockerfile.'
          )
        }
      >
        <input
          id={ids.dockerfile}
          className="text-input text-input--mono"
          value={dockerfile}
          autoComplete="off"
          spellCheck={false}
          placeholder="Dockerfile"
          aria-describedby={ids.dockerfileHint}
          data-testid="build-dockerfile"
          onChange={(e) => setDockerfile(e.target.value)}
        />
      </FormField>
      <FlagRows
        legend="Tags"
        itemLabel="Tag"
        addLabel="Add tag"
        placeholder="app:1.0"
        hint="Names for the image built, such as app:1.0 or registry.example:5000/team/app:1.0. None leaves it untagged."
        rows={tags}
        check={checkBuildTag}
        onChange={setTags}
        testId="build-tags"
      />
      <FlagRows
        legend="Build arguments"
        itemLabel="Build argument"
        addLabel="Add build argument"
        placeholder="NAME=value"
        rows={buildArgs}
        check={checkBuildArg}
        onChange={setBuildArgs}
        testId="build-args"
      />
      <FormField
        label="Target stage"
        htmlFor={ids.target}
        hintId={ids.targetHint}
        hint="Empty builds the last stage of the Dockerfile."
      >
        <input
          id={ids.target}
          className="text-input text-input--mono"
          value={target}
          autoComplete="off"
          spellCheck={false}
          placeholder="runtime"
          aria-describedby={ids.targetHint}
          data-testid="build-target"
          onChange={(e) => setTarget(e.target.value)}
        />
      </FormField>
      <div className="form-field form-field--check">
        <label className="check" htmlFor={ids.noCache}>
          <input
            id={ids.noCache}
            type="checkbox"
            checked={noCache}
            data-testid="build-no-cache"
            onChange={(e) => setNoCache(e.target.checked)}
          />
          No cache: run every step again
        </label>
      </div>
      {submit.error && (
        <p className="form-error" role="alert" data-testid="build-error">
          {submit.error}
        </p>
      )}
    </Dialog>
  );
}
