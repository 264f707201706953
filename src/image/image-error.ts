/**
 * ImageError is a problem with an image as a whole (a corrupt or truncated archive, a missing
 * manifest, a layer we cannot decompress). The scan reports it as one error line naming the image.
 */
export class ImageError extends Error {
  override readonly name = 'ImageError';
}
