import { CopyButton } from '../../../../components/CopyButton';
import { prettyJson } from '../imageText';

/** A stored document, indented, with a button that copies it as stored. */
export function JsonDocument({ title, json }: { title: string; json: string }) {
  return (
    <div className="json-document" data-testid="dag-node-json">
      <CopyButton text={json} label={`Copy the ${title.toLowerCase()} JSON`} />
      <pre>{prettyJson(json)}</pre>
    </div>
  );
}
