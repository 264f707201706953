import { ToolError } from '../errors/tool-error.js';

/**
 * ImageError is a problem with an image as a whole (a corrupt or truncated archive, a missing
 * manifest, a layer we cannot decompress). The scan reports it as one error line naming the image.
 */
export class ImageError extends ToolError {
  override readonly name = 'ImageError';

  constructor(message: string, options?: { cause?: unknown }) {
    super('input', message, {}, options);
  }
}
