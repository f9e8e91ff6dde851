import { z } from 'zod';
import { isDigest } from '../digest/digest.js';

export const digestSchema = z
  .string()
  .refine(isDigest, { message: 'must be a digest: sha256: followed by 64 lowercase hex characters' });

export const platformSchema = z.looseObject({
  architecture: z.string().min(1),
  os: z.string().min(1),
  'os.version': z.string().optional(),
  'os.features': z.array(z.string()).optional(),
  variant: z.string().optional(),
  features: z.array(z.string()).optional(),
});
export type Platform = z.infer<typeof platformSchema>;

export const annotationsSchema = z.record(z.string(), z.string());

/** image-spec descriptor.md */
export const descriptorSchema = z.looseObject({
  mediaType: z.string().min(1),
  digest: digestSchema,
  size: z.number().int().nonnegative(),
  urls: z.array(z.string()).optional(),
  annotations: annotationsSchema.optional(),
  data: z.string().optional(),
  artifactType: z.string().optional(),
  platform: platformSchema.optional(),
});
export type Descriptor = z.infer<typeof descriptorSchema> & { digest: import('../digest/digest.js').Digest };
