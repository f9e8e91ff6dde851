import type { ReactNode } from 'react';
import { ImagesIcon } from '../components/icons';
import { useEngineInfo } from '../queries/engineQueries';
import { useImageList } from '../queries/imageQueries';

export type ViewId = 'images';

interface NavItem {
  id: ViewId;
  label: string;
  icon: ReactNode;
}

/**
 * One entry per view that exists. Containers, Builds and Registries join this list (and ViewId)
 * with their views; until then they are not shown, rather than shown as dead links.
 */
const navItems: NavItem[] = [{ id: 'images', label: 'Images', icon: <ImagesIcon width={18} height={18} /> }];

export function Sidebar({ current, onNavigate }: { current: ViewId; onNavigate: (view: ViewId) => void }) {
  const images = useImageList();
  const info = useEngineInfo();
  const counts: Partial<Record<ViewId, number | undefined>> = { images: images.data?.length };
  return (
    <nav className="sidebar" aria-label="Main">
      <ul className="sidebar__list">
        {navItems.map((item) => (
          <li key={item.id}>
            <button
              type="button"
              className="sidebar__item"
              aria-current={item.id === current ? 'page' : undefined}
              onClick={() => onNavigate(item.id)}
            >
              {item.icon}
              <span className="sidebar__label">{item.label}</span>
              {counts[item.id] !== undefined && <span className="sidebar__count">{counts[item.id]?.toLocaleString()}</span>}
            </button>
          </li>
        ))}
      </ul>
      {info.data && (
        <div className="sidebar__footer" title={info.data.root}>
          <span className="sidebar__footer-label">Store</span>
          <span className="sidebar__footer-path">{info.data.root}</span>
        </div>
      )}
    </nav>
  );
}
