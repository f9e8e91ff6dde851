import type { PortMapping } from '../../../../core/api/containers.schema';
import { formatPort } from '../../../../core/text/humanize';
import { portHost, portUrl } from './portAddress';

/** A container's published ports; a TCP port is a link to http://HOST:PORT, opened in a new window. */
export function PortLinks({ ports, testId = 'container-ports' }: { ports: PortMapping[]; testId?: string }) {
  if (ports.length === 0) return <span className="none">—</span>;
  return (
    <span className="port-links" data-testid={testId}>
      {ports.map((p) => {
        const url = portUrl(p);
        const text = `${p.hostPort}:${p.containerPort}${p.protocol === 'udp' ? '/udp' : ''}`;
        const key = `${p.hostIp}:${p.hostPort}/${p.protocol}`;
        return url ? (
          <a
            key={key}
            className="port-link"
            href={url}
            target="_blank"
            rel="noreferrer"
            title={`${formatPort(p)}: open ${url}`}
            onClick={(e) => e.stopPropagation()}
          >
            {text}
          </a>
        ) : (
          <span key={key} className="port-link is-plain" title={`${formatPort(p)} on ${portHost(p)}`}>
            {text}
          </span>
        );
      })}
    </span>
  );
}
