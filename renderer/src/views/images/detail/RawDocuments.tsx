import type { ImageDetail } from '../../../../../core/api/images.schema';
import { CopyButton } from '../../../components/CopyButton';
import { prettyJson } from './imageText';
import { Section } from './Section';

/** The manifest and config as stored, folded away: most people need them rarely, and then whole. */
export function RawDocuments({ detail }: { detail: ImageDetail }) {
  const documents = [
    { title: 'Manifest', json: detail.manifestJson, testId: 'raw-manifest' },
    { title: 'Config', json: detail.configJson, testId: 'raw-config' },
  ];
  return (
    <Section title="Raw JSON">
      {documents.map((d) => (
        <details key={d.title} className="raw" data-testid={d.testId}>
          <summary>{d.title}</summary>
          <div className="raw__body">
            <CopyButton text={d.json} label={`Copy the ${d.title.toLowerCase()} JSON`} />
            <pre>{prettyJson(d.json)}</pre>
          </div>
        </details>
      ))}
    </Section>
  );
}
