import type { ImageDetail } from '../../../../../core/api/images.schema';
import { formatBytes, relativeTime } from '../../../../../core/text/humanize';
import { Digest } from '../../../components/Digest';
import { platformLabel } from './imageText';
import { Field, None, Section } from './Section';

export function OverviewSection({ detail }: { detail: ImageDetail }) {
  const isIndex = detail.digest !== detail.manifestDigest;
  return (
    <Section title="Overview" testId="detail-overview">
      <dl className="fields">
        <Field label="Image ID">
          <Digest value={detail.id} label="image ID" full testId="detail-image-id" />
        </Field>
        <Field label="Manifest digest">
          <Digest value={detail.manifestDigest} label="manifest digest" full testId="detail-manifest-digest" />
        </Field>
        {isIndex && (
          <Field label="Index digest">
            <Digest value={detail.digest} label="index digest" full testId="detail-index-digest" />
          </Field>
        )}
        <Field label="Media type">
          <span data-testid="detail-media-type">{detail.mediaTypeLabel}</span>
          <span className="muted-line">{detail.mediaType}</span>
        </Field>
        <Field label="Platform">{platformLabel(detail.platform)}</Field>
        {detail.platforms.length > 0 && (
          <Field label="Platforms">
            <ul className="chips">
              {detail.platforms.map((p) => (
                <li
                  key={p.digest}
                  className={`chip${p.present ? '' : ' is-absent'}`}
                  title={p.present ? p.digest : 'not in the store'}
                >
                  {p.platform}
                </li>
              ))}
            </ul>
          </Field>
        )}
        <Field label="Names">
          {detail.references.length === 0 ? (
            <None />
          ) : (
            <ul className="plain-list" data-testid="detail-names">
              {detail.references.map((r) => (
                <li key={r}>
                  <code>{r}</code>
                </li>
              ))}
            </ul>
          )}
        </Field>
        <Field label="Created">
          {detail.created ? (
            <>
              {relativeTime(detail.created)}
              <span className="muted-line">{detail.created}</span>
            </>
          ) : (
            <None />
          )}
        </Field>
        {detail.author && <Field label="Author">{detail.author}</Field>}
        <Field label="Size">
          {formatBytes(detail.size)}
          <span className="muted-line">
            {detail.layers.length} {detail.layers.length === 1 ? 'layer' : 'layers'}, compressed as stored
          </span>
        </Field>
      </dl>
    </Section>
  );
}
