import { Tabs } from '../../../components/Tabs';
import type { DetailTab } from '../../../state/uiStore';

export { tabId, tabPanelId } from '../../../components/Tabs';

const tabs: { id: DetailTab; label: string }[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'layers', label: 'Layers' },
  { id: 'dag', label: 'DAG' },
];

/** The image detail's tabs. */
export function DetailTabs({
  current,
  onChange,
  idPrefix,
}: {
  current: DetailTab;
  onChange: (tab: DetailTab) => void;
  idPrefix: string;
}) {
  return <Tabs tabs={tabs} current={current} onChange={onChange} idPrefix={idPrefix} label="Image details" />;
}
