// Makes decodes.json: what the reference implementations draw for the placeholders PlaceholderTests uses.
// ThumbHash: Evan Wallace's JavaScript (npm thumbhash 0.1.1); BlurHash: Wolt's TypeScript (npm blurhash 2.0.5).
//   npm install thumbhash@0.1.1 blurhash@2.0.5 && node make-decodes.mjs > decodes.json
import * as thumbhash from 'thumbhash';
import { decode } from 'blurhash';

// Two landscape hashes besides the portrait ones of the ThumbHash test suite: drawn gradients, opaque and with alpha.
function landscape(w, h, alpha) {
  const rgba = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = 4 * (x + y * w);
      rgba[i] = Math.round(255 * x / (w - 1));
      rgba[i + 1] = Math.round(255 * y / (h - 1));
      rgba[i + 2] = (x * y) % 256;
      rgba[i + 3] = alpha ? Math.round(255 * Math.abs(Math.sin(x / 9) * Math.cos(y / 7))) : 255;
    }
  }
  return Buffer.from(thumbhash.rgbaToThumbHash(w, h, rgba)).toString('hex').toUpperCase();
}

const out = {};
for (const hex of ['934A062D069256C374055867DA8AB6679490510719', 'A1198A1C02383A25D727F68B971FF7F9717F80376758987906', landscape(100, 60, false), landscape(90, 50, true)]) {
  const hash = Uint8Array.from(Buffer.from(hex, 'hex'));
  const image = thumbhash.thumbHashToRGBA(hash);
  out['th:' + hex] = {
    w: image.w,
    h: image.h,
    rgba: Buffer.from(image.rgba).toString('base64'),
    avg: thumbhash.thumbHashToAverageRGBA(hash),
    ratio: thumbhash.thumbHashToApproximateAspectRatio(hash),
  };
}
// The TypeScript decoder takes `punch | 1` (2 becomes 3), so an odd punch is the one that means the same in both.
for (const [hash, punch] of [['LaJHjmVu8_~po#smR+a~xaoLWCRj', 1], ['LlMF%n00%#MwS|WCWEM{R*bbWBbH', 1], ['L99jAfM{13EfnOxZI=It9~WV-PxF', 1], ['LaJHjmVu8_~po#smR+a~xaoLWCRj', 3]]) {
  out['bh:' + hash + ':' + punch] = { rgba: Buffer.from(decode(hash, 32, 32, punch)).toString('base64') };
}
console.log(JSON.stringify(out, null, 1));
