import type { SVGProps } from 'react';
import { Icon } from '../../components/icons';

/** Icons for builds, drawn like the others in components/icons.tsx. */
type IconProps = SVGProps<SVGSVGElement>;

export const BuildsIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="m13.5 3.5 7 7-2.5 2.5-7-7 2.5-2.5Z" />
    <path d="m12.2 8.8-8 8a1.5 1.5 0 0 0 2.1 2.1l8-8" />
  </Icon>
);

/** Turns while something runs (builds.css animates it; it holds still for reduced motion). */
export const Spinner = (p: IconProps) => (
  <Icon className="spinner" {...p}>
    <circle cx="12" cy="12" r="8" opacity="0.25" />
    <path d="M20 12a8 8 0 0 0-8-8" />
  </Icon>
);
