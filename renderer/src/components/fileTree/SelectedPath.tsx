import { formatBytes } from '../../../../core/text/humanize';
import { changeLabels } from './ChangeMark';
import { modeString } from './fileMode';
import type { TreeNode } from './fileTreeModel';

/** The selected path in full, under the tree: what a row has no room for (the whole path, the content hash). */
export function SelectedPath({ node }: { node: TreeNode | undefined }) {
  if (!node) {
    return <p className="file-tree__status muted">Select a path to see it in full.</p>;
  }
  const { entry } = node;
  const facts = entry
    ? [
        entry.change === 'unmodified' ? 'unchanged' : changeLabels[entry.change].label.toLowerCase(),
        entry.type === 'dir' ? 'directory' : entry.type,
        modeString(entry.type, entry.mode),
        `owner ${entry.uid}:${entry.gid}`,
        formatBytes(node.size),
        entry.hash ? `sha256 ${entry.hash.slice(0, 12)}` : '',
      ]
    : ['directory (unchanged; listed for what is below it)', formatBytes(node.size)];
  return (
    <p className="file-tree__status" data-testid="tree-selection">
      <code className="file-tree__status-path" title={node.path}>
        /{node.path}
        {entry?.linkname !== undefined && ` → ${entry.linkname}`}
      </code>
      <span className="muted">{facts.filter(Boolean).join(' · ')}</span>
    </p>
  );
}
