// `$(VAR)` expansion of env values, command, args and subPathExpr, as upstream's forked
// expansion package (third_party/forked/golang/expansion): `$$` is an escaped `$`, a reference to
// an undefined name is left as written, `$` followed by anything else is kept as is. Pure.

const OPERATOR = '$';
const OPENER = '(';
const CLOSER = ')';

/** Upstream MappingFuncFor: the first context defining a name wins; undefined names stay `$(NAME)`. */
export function mappingFuncFor(...contexts: ReadonlyMap<string, string>[]): (name: string) => string {
  return (name) => {
    for (const vars of contexts) {
      const v = vars.get(name);
      if (v !== undefined) return v;
    }
    return `${OPERATOR}${OPENER}${name}${CLOSER}`;
  };
}

/** Upstream Expand: replaces every `$(NAME)` of `input` with `mapping(NAME)`. */
export function expand(input: string, mapping: (name: string) => string): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== OPERATOR || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const { read, isVar, advance } = tryReadVariableName(input.slice(cursor + 1));
    out += isVar ? mapping(read) : read;
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

function tryReadVariableName(input: string): { read: string; isVar: boolean; advance: number } {
  switch (input[0]) {
    case OPERATOR:
      return { read: OPERATOR, isVar: false, advance: 1 };
    case OPENER: {
      const close = input.indexOf(CLOSER, 1);
      if (close > 0) return { read: input.slice(1, close), isVar: true, advance: close + 1 };
      return { read: OPERATOR + OPENER, isVar: false, advance: 1 };
    }
    default:
      return { read: OPERATOR + input[0], isVar: false, advance: 1 };
  }
}
