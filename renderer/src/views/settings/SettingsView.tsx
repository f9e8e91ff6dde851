import { formatBytes } from '../../../../core/text/humanize';
import { useMachineAction, useRuntimeStatus } from '../../queries/runtimeQueries';
import { RUNTIME_CHOICES, runsContainers, showsMachine } from '../../shell/runtimeWords';

function duration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** Settings: the runtime and why, and (for the VM runtime) the machine's resources, state, start/stop and console. */
export function SettingsView() {
  const status = useRuntimeStatus();
  const action = useMachineAction();
  const data = status.data;
  const machine = data?.machine;
  const busy = action.isPending || machine?.state === 'starting';
  return (
    <div className="view settings">
      <div className="view-header">
        <div className="view-header__title">
          <h1>Settings</h1>
        </div>
      </div>
      <div className="settings__body">
        <h2 className="settings__heading">Runtime</h2>
        {data && (
          <dl className="settings__facts" data-testid="runtime-facts">
            <dt>Runs containers</dt>
            <dd data-testid="runtime-kind">{runsContainers(data.kind)}</dd>
            <dt>Why</dt>
            <dd>{data.reason}</dd>
            <dt>Change it</dt>
            <dd>
              <code>--runtime {RUNTIME_CHOICES}</code> or <code>STEVEDORE_RUNTIME</code> when starting Stevedore
            </dd>
          </dl>
        )}
        {data && showsMachine(data) && (
          <>
            <h2 className="settings__heading">Machine</h2>
            {!machine && <p data-testid="machine-missing">{data.machineMissing}</p>}
            {machine && (
              <>
                <dl className="settings__facts" data-testid="machine-facts">
                  <dt>State</dt>
                  <dd data-testid="machine-state">{machine.state}</dd>
                  {machine.accelerator && (
                    <>
                      <dt>Accelerator</dt>
                      <dd title={machine.acceleratorReason}>
                        {machine.accelerator}
                        {machine.acceleratorReason && <span className="settings__note"> — {machine.acceleratorReason}</span>}
                      </dd>
                    </>
                  )}
                  {machine.uptimeSeconds !== undefined && (
                    <>
                      <dt>Up</dt>
                      <dd>
                        {duration(machine.uptimeSeconds)}
                        {machine.bootSeconds !== undefined && ` (ready in ${machine.bootSeconds.toFixed(1)} s)`}
                      </dd>
                    </>
                  )}
                  <dt>CPUs</dt>
                  <dd>{machine.cpus}</dd>
                  <dt>Memory</dt>
                  <dd>
                    {machine.memoryMiB} MiB{machine.rssBytes !== undefined && `, QEMU uses ${formatBytes(machine.rssBytes)}`}
                  </dd>
                  <dt>Disk</dt>
                  <dd>
                    {machine.diskGiB} GiB, {formatBytes(machine.diskBytesUsed)} used on this computer
                  </dd>
                  {machine.share && (
                    <>
                      <dt>Your files</dt>
                      <dd>{machine.share.mounted ? 'shared (bind mounts work)' : `not shared: ${machine.share.why}`}</dd>
                    </>
                  )}
                  <dt>Image</dt>
                  <dd>{machine.image}</dd>
                </dl>
                <p className="settings__note">
                  CPUs, memory and disk are set when the machine is made (
                  <code>stevedore machine init --cpus --memory --disk-size</code>).
                </p>
                <div className="settings__actions">
                  {machine.state === 'stopped' ? (
                    <button
                      type="button"
                      className="button button--primary"
                      disabled={busy}
                      onClick={() => action.mutate('start')}
                    >
                      {action.isPending ? 'Starting…' : 'Start'}
                    </button>
                  ) : (
                    <button type="button" className="button" disabled={busy} onClick={() => action.mutate('stop')}>
                      {action.isPending || machine.state === 'starting' ? 'Working…' : 'Stop'}
                    </button>
                  )}
                </div>
                <h2 className="settings__heading">Console</h2>
                <pre className="settings__console" data-testid="machine-console">
                  {machine.console.join('\n') || '(nothing yet)'}
                </pre>
              </>
            )}
          </>
        )}
      </div>
    </div>
  );
}
