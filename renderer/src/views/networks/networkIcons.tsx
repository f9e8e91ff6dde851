import type { SVGProps } from 'react';
import { Icon } from '../../components/icons';

/** The sidebar's Networks entry: a globe (Store graph has the boxes joined), drawn like the other icons. */
export const NetworksIcon = (p: SVGProps<SVGSVGElement>) => (
  <Icon {...p}>
    <circle cx="12" cy="12" r="8.5" />
    <ellipse cx="12" cy="12" rx="3.5" ry="8.5" />
    <path d="M3.5 12h17M5 7.5h14M5 16.5h14" />
  </Icon>
);
