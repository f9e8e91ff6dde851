import { useState } from 'react';
import type { NetworkMode, RunRequest } from '../../../../core/api/containers.schema';
import { shellQuote } from '../../../../core/text/shellQuote';
import { ApiError } from '../../api/apiError';
import { FormDialog } from '../../components/FormDialog';
import { CheckField } from '../../components/form/CheckField';
import { type FlagRow, FlagRows, rowsValid, rowValues } from '../../components/form/FlagRows';
import { SelectField } from '../../components/form/SelectField';
import { TextField } from '../../components/form/TextField';
import { useSubmit } from '../../components/useSubmit';
import { useImageDetail, useImageList } from '../../queries/imageQueries';
import { startPull } from '../../queries/transferActions';
import { holdFailure } from '../../state/transferStore';
import { useUiStore } from '../../state/uiStore';
import { TransferProgressBar } from '../images/archive/TransferProgressBar';
import { imageKey } from '../images/imageRows';
import { splitCommandLine } from './commandLine';
import { findImage } from './imageMatch';
import { runContainer } from './runContainer';
import {
  checkContainerName,
  checkEnv,
  checkEnvFile,
  checkLabel,
  checkLimits,
  checkPort,
  checkRestart,
  checkUser,
  checkVolume,
  checkWorkdir,
  labelsOf,
  routeVolumes,
} from './runFlags';

type RestartName = 'no' | 'on-failure' | 'always' | 'unless-stopped';

/** docker's `--restart` policies, as people read them. */
const restartChoices: { value: RestartName; label: string }[] = [
  { value: 'no', label: 'Never' },
  { value: 'on-failure', label: 'When it fails (on-failure)' },
  { value: 'always', label: 'Always' },
  { value: 'unless-stopped', label: 'Unless I stop it (unless-stopped)' },
];

const networks: { value: NetworkMode; label: string }[] = [
  { value: 'bridge', label: 'Bridge (its own address, ports published on the host)' },
  { value: 'host', label: 'Host (shares the host’s network)' },
  { value: 'none', label: 'None (loopback only)' },
];

/**
 * Run a container from an image: the fields of `stevedore run -d` (name, -p, -e, -v, the command,
 * --network, --rm), each checked as it is typed. On success the container's detail opens on its
 * logs; the engine's refusal (a port in use, a name taken) shows here as one sentence, and an
 * image that is not in the store is offered for pulling.
 */
export function RunDialog({
  initialImage,
  onClose,
  onPull,
}: {
  initialImage: string;
  onClose: () => void;
  /** Opens the Pull dialog for a name the store does not have. */
  onPull: (reference: string) => void;
}) {
  const openContainer = useUiStore((s) => s.openContainer);
  const images = useImageList();
  const [image, setImage] = useState(initialImage);
  const [name, setName] = useState('');
  const [command, setCommand] = useState('');
  const [ports, setPorts] = useState<FlagRow[]>([]);
  const [env, setEnv] = useState<FlagRow[]>([]);
  const [volumes, setVolumes] = useState<FlagRow[]>([]);
  const [network, setNetwork] = useState<NetworkMode>('bridge');
  const [autoRemove, setAutoRemove] = useState(false);
  const [restartName, setRestartName] = useState<RestartName>('no');
  const [retries, setRetries] = useState('');
  // The advanced section: docker's --env-file, -u, -w, --entrypoint, -t, --memory, --cpus, -l.
  const [envFile, setEnvFile] = useState('');
  const [user, setUser] = useState('');
  const [workdir, setWorkdir] = useState('');
  const [entrypoint, setEntrypoint] = useState('');
  const [tty, setTty] = useState(false);
  const [memory, setMemory] = useState('');
  const [cpus, setCpus] = useState('');
  const [labels, setLabels] = useState<FlagRow[]>([]);
  /** The pull this dialog started for an image the store lacks: its bar shows until the run. */
  const [pullId, setPullId] = useState<string | null>(null);
  /** The name the engine said it does not have: cleared once the store has it (a pull finished). */
  const [missing, setMissing] = useState<string | null>(null);
  const submit = useSubmit();

  const known = findImage(images.data ?? [], image);
  const detail = useImageDetail(known ? imageKey(known) : null);
  const config = detail.data?.config;
  const split = splitCommandLine(command);
  const nameProblem = checkContainerName(name.trim());
  const imageProblem = image.trim() === '' ? 'Type the image to run, such as busybox.' : null;
  // Said once the person has typed in the field or tried to run: not before anything was typed.
  const [imageTouched, setImageTouched] = useState(initialImage !== '');
  const restart = checkRestart(restartName, retries, autoRemove);
  const envFileProblem = checkEnvFile(envFile);
  const userProblem = checkUser(user);
  const workdirProblem = checkWorkdir(workdir);
  const limits = checkLimits(memory, cpus);
  const advancedReady =
    envFileProblem === null &&
    userProblem === null &&
    workdirProblem === null &&
    limits.memoryProblem === null &&
    limits.cpusProblem === null &&
    rowsValid(labels, checkLabel);
  // Only once the list is known: an image not in it is pulled before it runs (`run --pull missing`).
  const needsPull = images.data !== undefined && !known && imageProblem === null;
  const ready =
    restart.problem === null &&
    imageProblem === null &&
    nameProblem === null &&
    split.ok &&
    rowsValid(ports, checkPort) &&
    rowsValid(env, checkEnv) &&
    rowsValid(volumes, checkVolume) &&
    advancedReady;
  const stillMissing = missing !== null && missing === image.trim() && !known;

  // --entrypoint replaces the image's Entrypoint and drops its Cmd (core/runtime/imageProcess.ts).
  const newEntrypoint = entrypoint.trim();
  const imageCommand = newEntrypoint ? [newEntrypoint] : config ? [...(config.entrypoint ?? []), ...(config.cmd ?? [])] : null;
  const commandHint = !split.ok
    ? null
    : split.args.length > 0
      ? `Runs ${JSON.stringify(newEntrypoint ? [newEntrypoint, ...split.args] : split.args)}`
      : imageCommand && imageCommand.length > 0
        ? `Empty runs the image’s command: ${shellQuote(imageCommand)}`
        : 'Empty runs the image’s command.';
  const exposed = config && config.exposedPorts.length > 0 ? `The image exposes ${config.exposedPorts.join(', ')}.` : undefined;

  const onSubmit = () => {
    setImageTouched(true);
    if (!ready || !split.ok || submit.pending) return;
    const routed = routeVolumes(rowValues(volumes));
    const request: RunRequest = {
      image: image.trim(),
      network,
      autoRemove,
      ...(name.trim() ? { name: name.trim() } : {}),
      ...(split.args.length > 0 ? { command: split.args } : {}),
      ...(rowValues(ports).length > 0 ? { ports: rowValues(ports) } : {}),
      ...(rowValues(env).length > 0 ? { env: rowValues(env) } : {}),
      ...(routed.volumes.length > 0 ? { volumes: routed.volumes } : {}),
      ...(routed.mounts.length > 0 ? { mounts: routed.mounts } : {}),
      ...(restart.restart !== undefined ? { restart: restart.restart } : {}),
      ...(envFile.trim() ? { envFiles: [envFile.trim()] } : {}),
      ...(user.trim() ? { user: user.trim() } : {}),
      ...(workdir.trim() ? { workdir: workdir.trim() } : {}),
      ...(newEntrypoint ? { entrypoint: newEntrypoint } : {}),
      ...(tty ? { tty } : {}),
      ...(limits.resources ? { resources: limits.resources } : {}),
      ...(labelsOf(rowValues(labels)) ? { labels: labelsOf(rowValues(labels)) } : {}),
    };
    setMissing(null);
    void submit.run(async () => {
      // The pull's own failure (no such repository, login required) is the sentence to show.
      if (needsPull) {
        const pull = startPull({ ref: request.image });
        // This dialog shows the pull's failure: no toast or badge says it again.
        holdFailure(pull.transferId);
        setPullId(pull.transferId);
        try {
          await pull.finished;
        } finally {
          setPullId(null);
        }
      }
      try {
        const container = await runContainer(request);
        openContainer(container.id, 'logs');
        onClose();
      } catch (err) {
        if (err instanceof ApiError && err.code === 'IMAGE_NOT_FOUND') setMissing(request.image);
        else throw err;
      }
    });
  };

  return (
    <FormDialog
      title="Run a container"
      testIdPrefix="run"
      wide
      onClose={onClose}
      onSubmit={onSubmit}
      submit={submit}
      submitLabel="Run"
      pendingLabel="Starting…"
      ready={ready}
    >
      <TextField
        label="Image"
        value={image}
        onChange={(text) => {
          setImage(text);
          setImageTouched(true);
        }}
        error={imageTouched ? imageProblem : null}
        hint={
          known
            ? `${known.repository}:${known.tag}, in the store`
            : needsPull
              ? 'Not in the store: Run pulls it first.'
              : undefined
        }
        autoFocus={initialImage === ''}
        placeholder="busybox:latest"
        testId="run-image"
      />
      {stillMissing && (
        <div className="notice" role="alert" data-testid="run-image-missing">
          <span>
            <code>{missing}</code> is not in the store. Pull it from its registry, then run it.
          </span>
          <button type="button" className="button button--small" onClick={() => onPull(missing)}>
            Pull {missing}…
          </button>
        </div>
      )}
      <TextField
        label="Name"
        value={name}
        onChange={setName}
        error={nameProblem}
        hint="Empty picks a name."
        autoFocus={initialImage !== ''}
        placeholder="my-container"
        testId="run-name"
      />
      <TextField
        label="Command"
        value={command}
        onChange={setCommand}
        error={split.ok ? null : split.problem}
        hint={commandHint}
        mono
        placeholder={imageCommand && imageCommand.length > 0 ? shellQuote(imageCommand) : 'sh -c "echo hello"'}
        testId="run-command"
      />
      <FlagRows
        legend="Ports"
        itemLabel="Port"
        addLabel="Add port"
        placeholder="8080:80"
        hint={exposed}
        rows={ports}
        check={checkPort}
        onChange={setPorts}
        testId="run-ports"
      />
      <FlagRows
        legend="Environment"
        itemLabel="Variable"
        addLabel="Add variable"
        placeholder="KEY=value"
        rows={env}
        check={checkEnv}
        onChange={setEnv}
        testId="run-env"
      />
      <FlagRows
        legend="Volumes"
        itemLabel="Volume"
        addLabel="Add volume"
        placeholder="/host/path:/container/path[:ro] or name:/container/path"
        hint="A full host path is shared with the container; a name is a volume the engine keeps."
        rows={volumes}
        check={checkVolume}
        onChange={setVolumes}
        testId="run-volumes"
      />
      <SelectField label="Network" value={network} onChange={setNetwork} testId="run-network">
        {networks.map((n) => (
          <option key={n.value} value={n.value}>
            {n.label}
          </option>
        ))}
      </SelectField>
      <div className="form-row">
        <SelectField label="Restart" value={restartName} onChange={setRestartName} testId="run-restart">
          {restartChoices.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </SelectField>
        {restartName === 'on-failure' && (
          <TextField
            label="Retries"
            value={retries}
            onChange={setRetries}
            hint="Empty: no limit."
            placeholder="3"
            testId="run-retries"
          />
        )}
      </div>
      <CheckField label="Remove when it exits" checked={autoRemove} onChange={setAutoRemove} testId="run-remove" />
      {restart.problem && (
        <p className="form-problem" role="alert" data-testid="run-restart-problem">
          {restart.problem}
        </p>
      )}
      <details className="run-advanced" data-testid="run-advanced">
        <summary>
          Advanced{' '}
          <span className="run-advanced__summary">
            {advancedReady ? 'env file, user, working dir, entrypoint, TTY, limits, labels' : 'needs a fix'}
          </span>
        </summary>
        <div className="run-advanced__fields">
          <TextField
            label="Env file"
            value={envFile}
            onChange={setEnvFile}
            error={envFileProblem}
            hint="KEY=VALUE lines, read on the engine’s machine; Environment above wins. A bare KEY is skipped: the app has no shell to take it from."
            mono
            placeholder="/home/me/app.env"
            testId="run-env-file"
          />
          <div className="form-row form-row--even">
            <TextField
              label="User"
              value={user}
              onChange={setUser}
              error={userProblem}
              hint="Empty: the image’s."
              mono
              placeholder="1000:1000"
              testId="run-user"
            />
            <TextField
              label="Working dir"
              value={workdir}
              onChange={setWorkdir}
              error={workdirProblem}
              hint={config?.workingDir ? `Empty: the image’s, ${config.workingDir}.` : 'Empty: the image’s.'}
              mono
              placeholder="/app"
              testId="run-workdir"
            />
          </div>
          <TextField
            label="Entrypoint"
            value={entrypoint}
            onChange={setEntrypoint}
            hint="One program; it replaces the image’s entrypoint and command, and Command’s words become its arguments."
            mono
            placeholder={config?.entrypoint && config.entrypoint.length > 0 ? shellQuote(config.entrypoint) : '/bin/sh'}
            testId="run-entrypoint"
          />
          <CheckField
            label="Give it a terminal (TTY)"
            checked={tty}
            onChange={setTty}
            hint="As -t: programs that ask for a terminal get one; its output is the terminal’s."
            testId="run-tty"
          />
          <div className="form-row form-row--even">
            <TextField
              label="Memory"
              value={memory}
              onChange={setMemory}
              error={limits.memoryProblem}
              hint="Such as 512m or 1g; over it the kernel kills. Empty: no limit."
              mono
              placeholder="512m"
              testId="run-memory"
            />
            <TextField
              label="CPUs"
              value={cpus}
              onChange={setCpus}
              error={limits.cpusProblem}
              hint="Such as 0.5 (half of one). Empty: no limit."
              mono
              placeholder="1.5"
              testId="run-cpus"
            />
          </div>
          <FlagRows
            legend="Labels"
            itemLabel="Label"
            addLabel="Add label"
            placeholder="KEY=value"
            rows={labels}
            check={checkLabel}
            onChange={setLabels}
            testId="run-labels"
          />
        </div>
      </details>
      {pullId && <TransferProgressBar transferId={pullId} label={`Pulling ${image.trim()}`} testId="run-pull-progress" />}
    </FormDialog>
  );
}
