import { memo } from 'react';
import { formatBytes } from '../../../../core/text/humanize';
import { ChevronIcon, FileIcon, FolderIcon, LinkIcon } from '../icons';
import { ChangeMark } from './ChangeMark';
import { modeString } from './fileMode';
import type { TreeNode } from './fileTreeModel';

interface Props {
  node: TreeNode;
  index: number;
  domId: string;
  expanded: boolean;
  selected: boolean;
  top: number;
  onSelect: (index: number) => void;
  onToggle: (path: string) => void;
}

function TypeIcon({ node }: { node: TreeNode }) {
  const type = node.entry?.type;
  if (node.isDir) return <FolderIcon className="tree-row__icon" />;
  if (type === 'symlink' || type === 'hardlink') return <LinkIcon className="tree-row__icon" />;
  return <FileIcon className="tree-row__icon" />;
}

/** One path: indent, disclosure, change letter, name (and link target), mode, owner, size. */
export const FileTreeRow = memo(function FileTreeRow({ node, index, domId, expanded, selected, top, onSelect, onToggle }: Props) {
  const { entry } = node;
  const change = entry?.change ?? 'none';
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the tree handles the keyboard for its items
    // biome-ignore lint/a11y/useFocusableInteractive: focus stays on the tree, which points here with aria-activedescendant
    <div
      id={domId}
      role="treeitem"
      aria-level={node.depth + 1}
      aria-expanded={node.isDir ? expanded : undefined}
      aria-selected={selected}
      className={`tree-row is-${change}${entry ? '' : ' is-implied'}`}
      data-testid="tree-row"
      data-change={change}
      data-path={node.path}
      style={{ transform: `translateY(${top}px)` }}
      onClick={() => onSelect(index)}
      onDoubleClick={() => node.isDir && onToggle(node.path)}
    >
      <span className="tree-row__name" style={{ paddingLeft: node.depth * 16 }}>
        {node.isDir ? (
          <button
            type="button"
            className="tree-row__toggle"
            tabIndex={-1}
            aria-hidden="true"
            onClick={(e) => {
              e.stopPropagation();
              onToggle(node.path);
            }}
          >
            <ChevronIcon width={12} height={12} className={expanded ? 'is-open' : undefined} />
          </button>
        ) : (
          <span className="tree-row__toggle" />
        )}
        <ChangeMark change={entry?.change} />
        <TypeIcon node={node} />
        <span className="tree-row__label" title={node.path}>
          {node.name}
          {entry?.linkname !== undefined && (
            <span className="tree-row__link">
              {entry.type === 'hardlink' ? ' link to ' : ' → '}
              {entry.linkname}
            </span>
          )}
        </span>
      </span>
      <code className="tree-row__mode">{entry ? modeString(entry.type, entry.mode) : ''}</code>
      <span className="tree-row__owner">{entry ? `${entry.uid}:${entry.gid}` : ''}</span>
      <span className="tree-row__size">{node.isDir && node.size === 0 ? '' : formatBytes(node.size)}</span>
    </div>
  );
});
