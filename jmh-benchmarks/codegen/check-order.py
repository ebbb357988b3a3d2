"""Checks, in a normalized disassembly (normalized-asm.py), that a store to one of the given field
offsets is followed, before the method returns, by a load from the watched field offset: the
read side's announcement is issued before the read it must precede.

usage: check-order.py ASM STORE_OFFSETS LOAD_OFFSET LOAD_WIDTH
  STORE_OFFSETS  comma-separated decimal offsets of the slot's up totals
  LOAD_OFFSET    decimal offset of the word read after the store (state, epoch or pointer)
  LOAD_WIDTH     QWORD or DWORD
Prints one line; exits 0 when the order holds, 1 when it does not, 2 when the path is not found.
"""
import re
import sys

asm, stores, load, width = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
stores = [int(x) for x in stores.split(',')]
lines = [l for l in open(asm).read().split('\n') if l and not l.startswith('#')]


def mem(operand, offsets, w):
    m = re.search(r'%s PTR \[[^\]]*\+0x([0-9a-f]+)\]' % w, operand)
    return m is not None and int(m.group(1), 16) in offsets


def split(ins):
    parts = ins.split(None, 1)
    ops = parts[1].split(',') if len(parts) > 1 else []
    return parts[0], ops


def is_store(ins):
    op, ops = split(ins)
    return op not in ('cmp', 'test') and len(ops) >= 1 and mem(ops[0], stores, 'QWORD')


def is_load(ins):
    op, ops = split(ins)
    if op == 'lea':
        return False
    if op in ('cmp', 'test'):
        return any(mem(o, [load], width) for o in ops)
    return len(ops) >= 2 and any(mem(o, [load], width) for o in ops[1:])


first = next((i for i, l in enumerate(lines) if is_store(l)), None)
if first is None:
    print('no store to offsets %s found: the path is not in this compilation' % stores)
    sys.exit(2)
end = next((i for i in range(first, len(lines)) if lines[i].startswith('ret')), len(lines))
after = [i for i in range(first + 1, end) if is_load(lines[i])]
before = [i for i in range(0, first) if is_load(lines[i])]
if after:
    print('store-before-load: "%s" (instruction %d) precedes "%s" (instruction %d)'
          % (lines[first], first, lines[after[0]], after[0]))
    sys.exit(0)
print('LOAD BEFORE STORE: "%s" (instruction %d) comes before the store "%s" (instruction %d), '
      'and no load of offset %d follows the store before the return'
      % (lines[before[0]] if before else '?', before[0] if before else -1, lines[first], first, load))
sys.exit(1)
