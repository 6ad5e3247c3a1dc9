// The one error type for unparsable or invalid label/field selectors. The API server answers it with
// 400 BadRequest carrying `message` (upstream's wording), e.g. for `?labelSelector=a b`.

export class SelectorParseError extends Error {
  override name = 'SelectorParseError';
}
