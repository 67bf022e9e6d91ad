#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check docs/netlink/kbpf.yaml (the YNL spec of the kbpf family) against
uapi/linux/kbpf.h and the attribute policies in kmod/genl.c.

  - every attribute, command and event of the header is in the spec, with
    the same number, and nothing else is;
  - every policy entry of kmod/genl.c has the spec's type and checks
    (min, max, max-len) and nested policies point at the right set;
  - every operation the family registers has do/dump in the spec, and the
    spec's names, version and multicast groups are the header's;
  - with the kernel's genetlink-c.yaml schema and python3-jsonschema, the
    spec validates.

Numbers the C code computes (enum values, __KBPF_NF_HOOK_MAX - 1, ...)
come from compiling a small program against the uapi header, so the test
reads the code as the compiler does, not as a regex guesses.

usage: spec_test.py REPO [SCHEMA]
"""
import os
import re
import subprocess
import sys
import tempfile

import yaml

failures = []
checks = 0


def check(ok, what):
    global checks
    checks += 1
    if not ok:
        failures.append(what)
        print(f"not ok - {what}")


def c_enum(header, name):
    """Names of `enum NAME { ... }` in order (values come from the compiler)."""
    m = re.search(r'enum\s+' + name + r'\s*\{(.*?)\};', header, re.S)
    if not m:
        sys.exit(f"spec_test: no enum {name} in the header")
    body = re.sub(r'/\*.*?\*/', '', m.group(1), flags=re.S)
    return [e.split('=')[0].strip() for e in body.split(',') if e.strip()]


def evaluate(repo, exprs):
    """Values of C expressions, by compiling them against the uapi header."""
    exprs = sorted(set(exprs))
    src = ['#include <stdio.h>', '#include <linux/kbpf.h>',
           '#include <linux/if.h>',  # IFNAMSIZ
           # Kernel-only constants the policies use.
           '#define MODULE_NAME_LEN (64 - sizeof(unsigned long))',
           'int main(void) {']
    for e in exprs:
        src.append(f'\tprintf("%lld\\n", (long long)({e}));')
    src.append('\treturn 0;\n}')
    with tempfile.TemporaryDirectory() as d:
        c = os.path.join(d, 'v.c')
        exe = os.path.join(d, 'v')
        with open(c, 'w') as f:
            f.write('\n'.join(src) + '\n')
        subprocess.run([os.environ.get('CC', 'cc'), '-I', os.path.join(repo, 'uapi'),
                        '-o', exe, c], check=True)
        out = subprocess.run([exe], check=True, capture_output=True, text=True).stdout
    return dict(zip(exprs, (int(v) for v in out.split())))


POLICY_RE = re.compile(
    r'static\s+(?:const\s+)?struct\s+nla_policy\s+(\w+)\s*\[[^\]]*\]\s*=\s*\{(.*?)\n\};', re.S)
ENTRY_RE = re.compile(r'\[\s*(\w+)\s*\]\s*=\s*')
RANGE_VAR_RE = re.compile(
    r'struct\s+netlink_range_validation(?:_signed)?\s+(\w+)\s*=\s*\{(.*?)\};', re.S)


def split_entries(body):
    body = re.sub(r'/\*.*?\*/', '', body, flags=re.S)
    starts = [m for m in ENTRY_RE.finditer(body)]
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(body)
        yield m.group(1), body[m.end():end].strip().rstrip(',').strip()


def parse_policy(attr, expr, ranges):
    """-> dict(type=NLA_X, min=expr, max=expr, len=expr, nested=name)."""
    e = ' '.join(expr.split())
    m = re.fullmatch(r'\{\s*\.type\s*=\s*(NLA_\w+)\s*(?:,\s*\.len\s*=\s*([^,}]+?))?\s*,?\s*\}', e)
    if m:
        p = {'type': m.group(1)}
        if m.group(2):
            p['len'] = m.group(2)
        return p
    m = re.fullmatch(r'NLA_POLICY_(MIN|MAX)\((NLA_\w+),\s*(.+)\)', e)
    if m:
        return {'type': m.group(2), m.group(1).lower(): m.group(3)}
    m = re.fullmatch(r'NLA_POLICY_RANGE\((NLA_\w+),\s*([^,]+),\s*(.+)\)', e)
    if m:
        return {'type': m.group(1), 'min': m.group(2), 'max': m.group(3)}
    m = re.fullmatch(r'NLA_POLICY_FULL_RANGE(?:_SIGNED)?\((NLA_\w+),\s*&(\w+)\)', e)
    if m and m.group(2) in ranges:
        return dict(type=m.group(1), **ranges[m.group(2)])
    m = re.fullmatch(r'NLA_POLICY_NESTED\((\w+)\)', e)
    if m:
        return {'type': 'NLA_NESTED', 'nested': m.group(1)}
    check(False, f"kmod/genl.c: cannot read the policy of {attr}: '{e}' "
                 "(teach selftests/netlink/spec_test.py this form)")
    return None


NLA_TO_YNL = {
    'NLA_U8': 'u8', 'NLA_U16': 'u16', 'NLA_U32': 'u32', 'NLA_U64': 'u64',
    'NLA_S8': 's8', 'NLA_S16': 's16', 'NLA_S32': 's32', 'NLA_S64': 's64',
    'NLA_NUL_STRING': 'string', 'NLA_STRING': 'string', 'NLA_FLAG': 'flag',
    'NLA_BINARY': 'binary', 'NLA_NESTED': 'nest',
}


def spec_name(c_name, prefix):
    return c_name[len(prefix):].lower().replace('_', '-')


def main():
    repo = sys.argv[1]
    schema = sys.argv[2] if len(sys.argv) > 2 else ''
    header = open(os.path.join(repo, 'uapi/linux/kbpf.h')).read()
    genl = open(os.path.join(repo, 'kmod/genl.c')).read()
    spec_file = os.path.join(repo, 'docs/netlink/kbpf.yaml')
    spec = yaml.safe_load(open(spec_file))

    if schema and os.path.exists(schema):
        try:
            import jsonschema
        except ImportError:
            jsonschema = None
            print("SKIP: schema validation (no python3-jsonschema)")
        if jsonschema:
            try:
                jsonschema.validate(spec, yaml.safe_load(open(schema)))
                check(True, "the spec validates against genetlink-c.yaml")
            except jsonschema.ValidationError as err:
                check(False, f"the spec validates against genetlink-c.yaml: {err.message}")

    # ---- family ---------------------------------------------------------
    name = re.search(r'#define\s+KBPF_GENL_NAME\s+"([^"]+)"', header).group(1)
    check(spec['name'] == name, f"family name is '{name}'")
    check(spec['protocol'] == 'genetlink-c', "protocol genetlink-c (uapi names need enum-name and name-prefix)")
    groups = re.findall(r'#define\s+KBPF_GENL_MCGRP_\w+\s+"([^"]+)"', header)
    spec_groups = [g['name'] for g in spec.get('mcast-groups', {}).get('list', [])]
    check(sorted(groups) == sorted(spec_groups),
          f"multicast groups: header {groups}, spec {spec_groups}")

    # ---- attribute sets --------------------------------------------------
    # Every attribute enum of the header (enum kbpf_..._attr) is the set of
    # the spec whose enum-name it is; the set's name-prefix spells its names.
    sets = {s['name']: s for s in spec['attribute-sets']}
    by_enum = {s.get('enum-name', '').replace('-', '_'): s for s in spec['attribute-sets']}
    enums = {}
    for enum in re.findall(r'enum\s+(kbpf_\w*attr)\s*\{', header):
        s_ = by_enum.get(enum)
        check(s_ is not None, f"enum {enum} is an attribute set of the spec (enum-name {enum.replace('_', '-')})")
        if s_ is not None:
            enums[enum] = (s_['name-prefix'].upper().replace('-', '_'), s_['name'])
    c_attrs = {}            # C name -> (set name, spec attribute)
    exprs = []
    for enum, (prefix, set_name) in enums.items():
        names = [n for n in c_enum(header, enum)
                 if not n.endswith('_UNSPEC') and not n.startswith('__')]
        exprs += names
        attrs = [a for a in sets.get(set_name, {}).get('attributes', []) if a]
        by_name = {a['name']: a for a in attrs}
        for n in names:
            a = by_name.get(spec_name(n, prefix))
            check(a is not None, f"{n} is in the spec's '{set_name}' set as "
                                 f"'{spec_name(n, prefix)}'")
            if a is not None:
                c_attrs[n] = (set_name, a)
        extra = set(by_name) - {spec_name(n, prefix) for n in names}
        check(not extra, f"set '{set_name}' has no attribute the header lacks: {sorted(extra)}")

    cmd_names = [n for n in c_enum(header, 'kbpf_cmd')
                 if not n.endswith('_UNSPEC') and not n.startswith('__')]
    event_names = [n for n in c_enum(header, 'kbpf_event')]
    exprs += cmd_names + event_names

    # ---- policies --------------------------------------------------------
    ranges = {}
    for m in RANGE_VAR_RE.finditer(genl):
        fields = dict(re.findall(r'\.(min|max)\s*=\s*([^,}\n]+)', m.group(2)))
        ranges[m.group(1)] = {k: v.strip() for k, v in fields.items()}
    policies = {}
    for m in POLICY_RE.finditer(genl):
        entries = {}
        for attr, expr in split_entries(m.group(2)):
            p = parse_policy(attr, expr, ranges)
            if p:
                entries[attr] = p
                exprs += [p[k] for k in ('min', 'max', 'len') if k in p]
        policies[m.group(1)] = entries
    check(policies, "kmod/genl.c has attribute policies")
    values = evaluate(repo, exprs)

    # Numbers: the spec numbers attributes from 1 in order.
    for enum, (prefix, set_name) in enums.items():
        for i, a in enumerate(sets.get(set_name, {}).get('attributes', []), 1):
            n = prefix + a['name'].upper().replace('-', '_')
            want = a.get('value', i)
            check(values.get(n, want) == want,
                  f"{n} is {values.get(n)} in the header, {want} in the spec")

    # Which set a nested policy describes: the one whose enum it indexes.
    policy_set = {}
    for pname, entries in policies.items():
        for attr in entries:
            for enum, (prefix, set_name) in enums.items():
                if attr.startswith(prefix):
                    policy_set[pname] = set_name

    for pname, entries in policies.items():
        for attr, p in entries.items():
            if attr not in c_attrs:
                continue
            set_name, a = c_attrs[attr]
            if p['type'] == 'NLA_REJECT':
                # Reply-only: any type, but no request may carry it.
                for o in spec['operations']['list']:
                    for part in ('do', 'dump'):
                        req = (o.get(part) or {}).get('request', {}).get('attributes', [])
                        check(a['name'] not in req or o.get('attribute-set') != set_name,
                              f"{attr} is rejected by the policy, yet {o['name']} {part} requests it")
                continue
            want = NLA_TO_YNL.get(p['type'])
            check(a['type'] == want, f"{attr}: policy {p['type']} is '{want}', spec says '{a['type']}'")
            ch = a.get('checks', {})
            if 'len' in p:
                check(ch.get('max-len') == values[p['len']],
                      f"{attr}: max-len {values[p['len']]} ({p['len']}), spec {ch.get('max-len')}")
            elif 'max-len' in ch:
                check(False, f"{attr}: spec has max-len {ch['max-len']}, the policy none")
            for k in ('min', 'max'):
                # YNL's schema takes no negative limit but sNN-min: such a
                # bound stays in the code (and the attribute's doc).
                if k == 'min' and k in p and values[p[k]] < 0 and k not in ch:
                    check(str(values[p[k]]) in a.get('doc', ''),
                          f"{attr}: the doc states the minimum {values[p[k]]} the schema cannot")
                    continue
                if k in p:
                    check(ch.get(k) == values[p[k]],
                          f"{attr}: {k} {values[p[k]]} ({p[k]}), spec {ch.get(k)}")
                elif k in ch:
                    check(False, f"{attr}: spec has {k} {ch[k]}, the policy none")
            if 'nested' in p:
                check(a.get('nested-attributes') == policy_set.get(p['nested']),
                      f"{attr}: nests {p['nested']} (set '{policy_set.get(p['nested'])}'), "
                      f"spec '{a.get('nested-attributes')}'")

    # ---- operations -------------------------------------------------------
    ops = spec['operations']['list']
    by_op = {o['name']: o for o in ops}
    for i, o in enumerate(ops, 1):
        n = 'KBPF_CMD_' + o['name'].upper().replace('-', '_')
        want = o.get('value', i)
        check(values.get(n) == want, f"{n} is {values.get(n)} in the header, {want} in the spec")
    for n in cmd_names:
        check(spec_name(n, 'KBPF_CMD_') in by_op, f"{n} is an operation of the spec")
    # KBPF_GENL_DO, KBPF_GENL_DO_DUMP, KBPF_GENL_DUMP (kmod/compat/compat.h)
    registered = re.findall(r'KBPF_GENL_(DO_DUMP|DO|DUMP)\(\s*(KBPF_CMD_\w+)\s*,[^;]*?,\s*(\w+)\s*\)', genl)
    check(registered, "kmod/genl.c registers operations")
    for kind, cmd, flags in registered:
        o = by_op.get(spec_name(cmd, 'KBPF_CMD_'), {})
        has_do, has_dump = kind in ('DO', 'DO_DUMP'), kind in ('DUMP', 'DO_DUMP')
        check(has_do == ('do' in o), f"{cmd}: do {'registered' if has_do else 'not registered'}, "
                                     f"spec {'has' if 'do' in o else 'has no'} do")
        check(has_dump == ('dump' in o), f"{cmd}: dump {'registered' if has_dump else 'not registered'}, "
                                         f"spec {'has' if 'dump' in o else 'has no'} dump")
        spec_admin = 'admin-perm' in o.get('flags', [])
        check(('GENL_ADMIN_PERM' in flags) == spec_admin,
              f"{cmd}: flags '{flags}', spec flags {o.get('flags', [])}")
        for part in ('do', 'dump'):
            for attr in o.get(part, {}).get('request', {}).get('attributes', []):
                check(any(a['name'] == attr for a in sets[o['attribute-set']]['attributes']),
                      f"{cmd} {part}: request attribute '{attr}' exists")

    reg_names = {spec_name(cmd, 'KBPF_CMD_') for _, cmd, _ in registered}
    for o in ops:
        if 'do' in o or 'dump' in o:
            check(o['name'] in reg_names, f"spec operation '{o['name']}' is registered by kmod/genl.c")

    # ---- enums -------------------------------------------------------------
    defs = {d['name']: d for d in spec.get('definitions', [])}
    ev = defs.get('event', {}).get('entries', [])
    ev_names = [e if isinstance(e, str) else e['name'] for e in ev]
    check(ev_names == [spec_name(n, 'KBPF_EVENT_') for n in event_names],
          f"enum event: header {event_names}, spec {ev_names}")

    print(f"netlink spec: {checks - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
