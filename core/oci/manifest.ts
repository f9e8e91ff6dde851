import { z } from 'zod';
import { annotationsSchema, descriptorSchema } from './descriptor.js';

/** image-spec manifest.md (also accepts Docker schema 2, which has the same shape). */
export const manifestSchema = z.looseObject({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  artifactType: z.string().optional(),
  config: descriptorSchema,
  layers: z.array(descriptorSchema),
  subject: descriptorSchema.optional(),
  annotations: annotationsSchema.optional(),
});
export type Manifest = z.infer<typeof manifestSchema>;

/** image-spec image-index.md (also Docker's manifest list). */
export const indexSchema = z.looseObject({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  artifactType: z.string().optional(),
  manifests: z.array(descriptorSchema),
  subject: descriptorSchema.optional(),
  annotations: annotationsSchema.optional(),
});
export type ImageIndex = z.infer<typeof indexSchema>;

/** image-spec image-layout.md: the oci-layout file. */
export const layoutHeaderSchema = z.looseObject({ imageLayoutVersion: z.string() });
