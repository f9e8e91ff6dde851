import type { ImageDetail } from '../../../../../core/api/images.schema';
import { RawJson } from '../../../components/RawJson';
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
        <RawJson
          key={d.title}
          summary={d.title}
          text={d.json}
          shown={prettyJson(d.json)}
          copyLabel={`Copy the ${d.title.toLowerCase()} JSON`}
          testId={d.testId}
        />
      ))}
    </Section>
  );
}
