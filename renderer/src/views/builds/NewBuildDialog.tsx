import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { BuildRequestArgs } from '../../../../core/api/builds.schema';
import { invoke } from '../../api/client';
import { FormDialog } from '../../components/FormDialog';
import { CheckField } from '../../components/form/CheckField';
import { type FlagRow, FlagRows, newRow, rowsValid, rowValues } from '../../components/form/FlagRows';
import { TextField } from '../../components/form/TextField';
import { useSubmit } from '../../components/useSubmit';
import { buildKeys } from '../../queries/buildQueries';
import { askForNotifications } from '../../shell/endNotifications';
import { useUiStore } from '../../state/uiStore';
import { buildRequestFrom, checkBuildArg, checkBuildSecret, checkBuildTag, checkContextDir, dockerfilePath } from './buildForm';

/**
 * Build an image: the fields of `stevedore build` (the context folder on the engine's machine,
 * -f, -t, --build-arg, --secret as files there, --target, --no-cache), checked as they are typed. The engine starts the
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
  // Secrets are never kept with a build: building one again asks for them anew.
  const [secrets, setSecrets] = useState<FlagRow[]>([]);
  const [target, setTarget] = useState(initial.target ?? '');
  const [noCache, setNoCache] = useState(initial.noCache ?? false);
  const submit = useSubmit();

  const contextProblem = checkContextDir(contextDir);
  const ready =
    contextProblem === null &&
    rowsValid(tags, checkBuildTag) &&
    rowsValid(buildArgs, checkBuildArg) &&
    rowsValid(secrets, checkBuildSecret);
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
      secrets: rowValues(secrets),
    });
    void submit.run(async () => {
      askForNotifications();
      const { buildId } = await invoke('builds.start', request);
      void queryClient.invalidateQueries({ queryKey: buildKeys.list });
      openBuild(buildId);
      onClose();
    });
  };

  return (
    <FormDialog
      title="New build"
      description="Builds an image from a Dockerfile, as stevedore build does, on the engine’s machine."
      testIdPrefix="build"
      wide
      onClose={onClose}
      onSubmit={onSubmit}
      submit={submit}
      submitLabel="Build"
      pendingLabel="Starting…"
      ready={ready}
    >
      <TextField
        label="Context folder"
        value={contextDir}
        onChange={(text) => {
          setContextDir(text);
          setTouched(true);
        }}
        error={touched ? contextProblem : null}
        hint="The folder whose files COPY reads, on the engine’s machine."
        mono
        autoFocus
        placeholder="/home/me/app"
        testId="build-context"
      />
      <TextField
        label="Dockerfile"
        value={dockerfile}
        onChange={setDockerfile}
        hint={
          reads ? (
            <>
              Reads <code data-testid="build-dockerfile-path">{reads}</code>
            </>
          ) : (
            'Relative to the context folder; empty reads its Dockerfile.'
          )
        }
        mono
        placeholder="Dockerfile"
        testId="build-dockerfile"
      />
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
      <FlagRows
        legend="Secrets"
        itemLabel="Secret"
        addLabel="Add secret"
        placeholder="npmrc=/home/me/.npmrc"
        hint="For RUN --mount=type=secret,id=ID: a file on the engine’s machine, read when the build starts and kept in no layer or record."
        rows={secrets}
        check={checkBuildSecret}
        onChange={setSecrets}
        testId="build-secrets"
      />
      <TextField
        label="Target stage"
        value={target}
        onChange={setTarget}
        hint="Empty builds the last stage of the Dockerfile."
        mono
        placeholder="runtime"
        testId="build-target"
      />
      <CheckField label="No cache: run every step again" checked={noCache} onChange={setNoCache} testId="build-no-cache" />
    </FormDialog>
  );
}
