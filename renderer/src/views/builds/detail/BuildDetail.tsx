import { useId, useState } from 'react';
import { invoke } from '../../../api/client';
import { BackButton } from '../../../components/BackButton';
import { RestartIcon, StopIcon } from '../../../components/containerIcons';
import { MissingDetail } from '../../../components/MissingDetail';
import { RelativeTime } from '../../../components/RelativeTime';
import { Tabs, tabId, tabPanelId } from '../../../components/Tabs';
import { sentence, useSubmit } from '../../../components/useSubmit';
import { useBuildDetail } from '../../../queries/buildQueries';
import { useUiStore } from '../../../state/uiStore';
import { BuildDuration } from '../BuildDuration';
import { BuildStatePill } from '../BuildStatePill';
import { requestOf } from '../buildForm';
import { buildName } from '../buildName';
import { stepCountText } from '../buildTime';
import { BuildSettings } from './BuildSettings';
import { BuildSteps } from './BuildSteps';
import { ResultImage } from './ResultImage';

type BuildTab = 'steps' | 'settings';
const tabs: { id: BuildTab; label: string }[] = [
  { id: 'steps', label: 'Steps' },
  { id: 'settings', label: 'Settings' },
];

/** One build, filling the view: its state, error or image above, its steps (or its settings) below. */
export function BuildDetail({ id, onBack }: { id: string; onBack: () => void }) {
  const detail = useBuildDetail(id);
  const setBuildRequest = useUiStore((s) => s.setBuildRequest);
  const [tab, setTab] = useState<BuildTab>('steps');
  const idPrefix = useId();
  const build = detail.data;
  const cancel = useSubmit();

  const back = <BackButton to="Builds" testId="build-back" onBack={onBack} />;

  if (!build) {
    return (
      <div className="view builds-view">
        <div className="view-header">{back}</div>
        <MissingDetail
          query={detail}
          testId="build-missing"
          unreadable="This build could not be read."
          gone="The history has no such build."
          backTo="Builds"
          onBack={onBack}
        />
      </div>
    );
  }

  const name = buildName(build);
  return (
    <div className="view builds-view">
      <div className="view-header">{back}</div>
      <article
        className="panel view-detail"
        aria-labelledby={`${idPrefix}-title`}
        data-testid="build-detail"
        data-id={build.buildId}
      >
        <header className="panel__header">
          <div className="panel__title">
            <div className="view-detail__name">
              <h1 id={`${idPrefix}-title`} data-testid="build-title">
                {name}
              </h1>
              <BuildStatePill state={build.state} />
            </div>
            <p className="detail__subtitle">
              <code title={build.buildId}>{build.buildId.slice(0, 12)}</code>
              <span title={build.contextDir}>{build.contextDir}</span>
              <span>
                Started <RelativeTime iso={build.startedAt} lower />
              </span>
              <BuildDuration build={build} />
              <span data-testid="build-step-summary">{stepCountText(build)}</span>
            </p>
            {build.error && (
              <p className="form-error build-detail__error" role="alert" data-testid="build-error-sentence">
                {sentence(build.error)}
              </p>
            )}
            {build.imageId && <ResultImage imageId={build.imageId} tags={build.tags} />}
            {cancel.error && (
              <p className="form-error" role="alert" data-testid="build-cancel-error">
                {cancel.error}
              </p>
            )}
          </div>
          {build.state === 'running' && (
            <button
              type="button"
              className="button button--with-icon button--danger"
              title="Stop the step that runs; nothing it made is kept"
              data-testid="build-cancel"
              disabled={cancel.pending}
              onClick={() =>
                void cancel.run(async () => {
                  const { cancelled } = await invoke('builds.cancel', { buildId: build.buildId });
                  if (!cancelled) throw new Error('this build runs in another process (the CLI): stop it there');
                })
              }
            >
              <StopIcon />
              Cancel build
            </button>
          )}
          <button
            type="button"
            className="button button--with-icon"
            title="Open the New build form with this build’s settings"
            data-testid="build-again"
            onClick={() => setBuildRequest(requestOf(build))}
          >
            <RestartIcon />
            Build again
          </button>
        </header>
        <Tabs tabs={tabs} current={tab} onChange={setTab} idPrefix={idPrefix} label="Build details" />
        <div className="build-detail__body" role="tabpanel" id={tabPanelId(idPrefix)} aria-labelledby={tabId(idPrefix, tab)}>
          {tab === 'steps' ? <BuildSteps build={build} /> : <BuildSettings build={build} />}
        </div>
      </article>
    </div>
  );
}
