// The string syntax of label selectors (`?labelSelector=`, `kubectl -l`), a port of upstream's
// lexer and recursive-descent parser in k8s.io/apimachinery/pkg/labels/selector.go, so that the
// same inputs parse and the same inputs fail with the same messages:
//
//   <selector>    ::= <requirement> | <requirement> "," <selector>
//   <requirement> ::= [!] KEY [ <set-based-restriction> | <exact-match-restriction> ]
//   set-based     ::= ("in" | "notin") "(" VALUE { "," VALUE } ")"
//   exact-match   ::= ("=" | "==" | "!=" | ">" | "<") VALUE
import { BINARY_OPERATOR_LIST, labelKeyError, newRequirement, type LabelOperator, type LabelRequirement } from './label-requirement.js';
import { SelectorParseError } from './selector-error.js';

const enum Tok {
  Error, End, ClosedPar, Comma, DoesNotExist, DoubleEquals, Equals, GreaterThan, Identifier, In, LessThan,
  NotEquals, NotIn, OpenPar,
}

const KEYWORDS = new Map<string, Tok>([
  [')', Tok.ClosedPar], [',', Tok.Comma], ['!', Tok.DoesNotExist], ['==', Tok.DoubleEquals], ['=', Tok.Equals],
  ['>', Tok.GreaterThan], ['in', Tok.In], ['<', Tok.LessThan], ['!=', Tok.NotEquals], ['notin', Tok.NotIn], ['(', Tok.OpenPar],
]);

interface Item { tok: Tok; lit: string }

const isWhitespace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isSpecial = (c: string): boolean => '=!(),><'.includes(c);

function tokenize(s: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isWhitespace(s[pos]!)) pos++;
    if (pos >= s.length) {
      items.push({ tok: Tok.End, lit: '' });
      return items;
    }
    if (isSpecial(s[pos]!)) {
      // Longest run of symbols that still forms an operator ("!=" beats "!").
      let buffer = '';
      let last: Item | undefined;
      while (pos < s.length && isSpecial(s[pos]!)) {
        buffer += s[pos];
        const tok = KEYWORDS.get(buffer);
        if (tok !== undefined) last = { tok, lit: buffer };
        else if (last) break;
        pos++;
      }
      items.push(last ?? { tok: Tok.Error, lit: `error expected: keyword found '${buffer}'` });
    } else {
      const start = pos;
      while (pos < s.length && !isSpecial(s[pos]!) && !isWhitespace(s[pos]!)) pos++;
      const lit = s.slice(start, pos);
      items.push({ tok: KEYWORDS.get(lit) ?? Tok.Identifier, lit });
    }
  }
}

class Parser {
  private position = 0;
  constructor(private readonly items: Item[]) {}

  /** In value context the keywords `in`/`notin` are plain identifiers. */
  private look(values: boolean): Item {
    const item = this.items[this.position]!;
    return values && (item.tok === Tok.In || item.tok === Tok.NotIn) ? { tok: Tok.Identifier, lit: item.lit } : item;
  }

  private next(values: boolean): Item {
    const item = this.look(values);
    this.position++;
    return item;
  }

  parse(): LabelRequirement[] {
    const reqs: LabelRequirement[] = [];
    for (;;) {
      const { tok, lit } = this.look(true);
      switch (tok) {
        case Tok.Identifier: case Tok.DoesNotExist: {
          try {
            reqs.push(this.requirement());
          } catch (e) {
            throw new SelectorParseError(`unable to parse requirement: ${(e as Error).message}`);
          }
          const after = this.next(true);
          if (after.tok === Tok.End) return reqs;
          if (after.tok !== Tok.Comma) throw new SelectorParseError(`found '${after.lit}', expected: ',' or 'end of string'`);
          const following = this.look(true);
          if (following.tok !== Tok.Identifier && following.tok !== Tok.DoesNotExist) {
            throw new SelectorParseError(`found '${following.lit}', expected: identifier after ','`);
          }
          break;
        }
        case Tok.End:
          return reqs;
        default:
          throw new SelectorParseError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      }
    }
  }

  private requirement(): LabelRequirement {
    let operator: LabelOperator | undefined;
    let item = this.next(true);
    if (item.tok === Tok.DoesNotExist) {
      operator = '!';
      item = this.next(true);
    }
    if (item.tok !== Tok.Identifier) throw new Error(`found '${item.lit}', expected: identifier`);
    const key = item.lit;
    const keyErr = labelKeyError(key, '<nil>');
    if (keyErr) throw new Error(keyErr);
    // `!key` is complete by itself; whatever follows is the caller's problem (`!a=b` fails at '=').
    if (operator === '!') return newRequirement(key, '!', []);
    const ahead = this.look(true).tok;
    if (ahead === Tok.End || ahead === Tok.Comma) return newRequirement(key, 'exists', []);
    operator = this.operator();
    const values = operator === 'in' || operator === 'notin' ? this.setValues() : this.exactValue();
    return newRequirement(key, operator, [...new Set(values)].sort());
  }

  private operator(): LabelOperator {
    const { tok, lit } = this.next(false);
    switch (tok) {
      case Tok.In: return 'in';
      case Tok.Equals: return '=';
      case Tok.DoubleEquals: return '==';
      case Tok.GreaterThan: return 'gt';
      case Tok.LessThan: return 'lt';
      case Tok.NotIn: return 'notin';
      case Tok.NotEquals: return '!=';
      default: throw new Error(`found '${lit}', expected: ${BINARY_OPERATOR_LIST}`);
    }
  }

  /** `(a,b)`; empty members (`(a,,b)`, `()`) stand for the empty value, as upstream. */
  private setValues(): string[] {
    const open = this.next(true);
    if (open.tok !== Tok.OpenPar) throw new Error(`found '${open.lit}' expected: '('`);
    const { tok, lit } = this.look(true);
    if (tok === Tok.ClosedPar) {
      this.next(true);
      return [''];
    }
    if (tok !== Tok.Identifier && tok !== Tok.Comma) throw new Error(`found '${lit}', expected: ',', ')' or identifier`);
    const values = this.identifiers();
    if (this.next(true).tok !== Tok.ClosedPar) throw new Error(`found '${lit}', expected: ')'`);
    return values;
  }

  private identifiers(): string[] {
    const values: string[] = [];
    for (;;) {
      const { tok, lit } = this.next(true);
      if (tok === Tok.Identifier) {
        values.push(lit);
        const ahead = this.look(true);
        if (ahead.tok === Tok.Comma) continue;
        if (ahead.tok === Tok.ClosedPar) return values;
        throw new Error(`found '${ahead.lit}', expected: ',' or ')'`);
      }
      if (tok === Tok.Comma) {
        if (values.length === 0) values.push('');
        const ahead = this.look(true).tok;
        if (ahead === Tok.ClosedPar) {
          values.push('');
          return values;
        }
        if (ahead === Tok.Comma) values.push('');
        continue;
      }
      throw new Error(`found '${lit}', expected: ',', or identifier`);
    }
  }

  private exactValue(): string[] {
    const ahead = this.look(true).tok;
    if (ahead === Tok.End || ahead === Tok.Comma) return [''];
    const { tok, lit } = this.next(true);
    if (tok === Tok.Identifier) return [lit];
    throw new Error(`found '${lit}', expected: identifier`);
  }
}

/** Parses selector text into requirements sorted by key; throws SelectorParseError. */
export function parseLabelRequirements(text: string): LabelRequirement[] {
  const reqs = new Parser(tokenize(text)).parse();
  return reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
