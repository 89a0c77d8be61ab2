import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'ldapts';
import { freePort } from '../../scripts/lib/ports.ts';

// A real OpenLDAP server (Debian slapd) for the directory sign-in tests: its own slapd.conf in a temp dir,
// an mdb database, the ppolicy overlay (a locked account carries pwdAccountLockedTime and cannot bind),
// plain LDAP and LDAPS (a CA and server certificate made with openssl) on loopback ports. Seeded with
// ldapadd. Nothing is shared with a system slapd.

export const LDAP_SUFFIX = 'dc=region,dc=test';
export const LDAP_ADMIN_DN = `cn=admin,${LDAP_SUFFIX}`;
export const LDAP_SERVICE_DN = `uid=shtab-service,ou=services,${LDAP_SUFFIX}`;
export const LDAP_SERVICE_PASSWORD = 'service-secret-1';
const ADMIN_PASSWORD = 'admin-secret-1';

export interface LdapPerson {
  uid: string;
  name: string;
  password: string;
  mail?: string;
  groups?: string[];
  department?: string;
}

const slapdPath = () => process.env.SLAPD_PATH ?? '/usr/sbin/slapd';

function certificates(dir: string) {
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=Shtab test CA',
  ]);
  run([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
    '-subj',
    '/CN=127.0.0.1',
  ]);
  writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  run([
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '2',
    '-extfile',
    'san.ext',
  ]);
}

function config(dir: string) {
  return `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload ppolicy
pidfile ${dir}/slapd.pid
TLSCACertificateFile ${dir}/ca.pem
TLSCertificateFile ${dir}/server.pem
TLSCertificateKeyFile ${dir}/server.key
database mdb
suffix "${LDAP_SUFFIX}"
rootdn "${LDAP_ADMIN_DN}"
rootpw ${ADMIN_PASSWORD}
directory ${dir}/db
maxsize 10485760
overlay ppolicy
ppolicy_default "cn=default,ou=policies,${LDAP_SUFFIX}"
access to attrs=userPassword by anonymous auth by self write by * none
access to * by dn.exact="${LDAP_SERVICE_DN}" read by users read by * none
`;
}

const entry = (dn: string, lines: string[]) => [`dn: ${dn}`, ...lines, ''].join('\n');

function personLdif(p: LdapPerson) {
  return entry(`uid=${p.uid},ou=people,${LDAP_SUFFIX}`, [
    'objectClass: inetOrgPerson',
    `uid: ${p.uid}`,
    `cn:: ${Buffer.from(p.name).toString('base64')}`,
    `sn:: ${Buffer.from(p.name.split(' ').at(-1)!).toString('base64')}`,
    ...(p.mail ? [`mail: ${p.mail}`] : []),
    ...(p.department ? [`departmentNumber:: ${Buffer.from(p.department).toString('base64')}`] : []),
    `userPassword: ${p.password}`,
  ]);
}

export async function startSlapd(o: { people: LdapPerson[] }) {
  if (!existsSync(slapdPath()))
    throw new Error(
      `slapd not found at ${slapdPath()}: apt-get install -y slapd ldap-utils (or set SLAPD_PATH)`,
    );
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shtab-slapd-'));
  mkdirSync(path.join(dir, 'db'));
  certificates(dir);
  writeFileSync(path.join(dir, 'slapd.conf'), config(dir));
  const [port, tlsPort] = [await freePort(), await freePort()];
  const url = `ldap://127.0.0.1:${port}`;
  const tlsUrl = `ldaps://127.0.0.1:${tlsPort}`;
  let log = '';
  const proc: ChildProcess = spawn(
    slapdPath(),
    ['-f', path.join(dir, 'slapd.conf'), '-h', `${url}/ ${tlsUrl}/`, '-d', '0'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  proc.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const deadline = Date.now() + 20_000;
  for (;;) {
    const c = new Client({ url, connectTimeout: 500 });
    try {
      await c.bind(LDAP_ADMIN_DN, ADMIN_PASSWORD);
      await c.unbind();
      break;
    } catch (e) {
      if (proc.exitCode !== null || Date.now() > deadline)
        throw new Error(`slapd did not start: ${(e as Error).message}\n${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const ldap = (tool: 'ldapadd' | 'ldapmodify', ldif: string) =>
    execFileSync(tool, ['-x', '-H', url, '-D', LDAP_ADMIN_DN, '-w', ADMIN_PASSWORD], {
      input: ldif,
      stdio: 'pipe',
    });

  const groups = [...new Set(o.people.flatMap((p) => p.groups ?? []))];
  ldap(
    'ldapadd',
    [
      entry(LDAP_SUFFIX, ['objectClass: dcObject', 'objectClass: organization', 'o: Region', 'dc: region']),
      ...['people', 'groups', 'services', 'policies'].map((ou) =>
        entry(`ou=${ou},${LDAP_SUFFIX}`, ['objectClass: organizationalUnit', `ou: ${ou}`]),
      ),
      entry(`cn=default,ou=policies,${LDAP_SUFFIX}`, [
        'objectClass: pwdPolicy',
        'objectClass: device',
        'cn: default',
        'pwdAttribute: userPassword',
        'pwdLockout: TRUE',
      ]),
      entry(LDAP_SERVICE_DN, [
        'objectClass: account',
        'objectClass: simpleSecurityObject',
        'uid: shtab-service',
        `userPassword: ${LDAP_SERVICE_PASSWORD}`,
      ]),
      ...o.people.map(personLdif),
      ...groups.map((g) =>
        entry(`cn=${g},ou=groups,${LDAP_SUFFIX}`, [
          'objectClass: groupOfNames',
          `cn: ${g}`,
          ...o.people
            .filter((p) => p.groups?.includes(g))
            .map((p) => `member: uid=${p.uid},ou=people,${LDAP_SUFFIX}`),
        ]),
      ),
    ].join('\n'),
  );

  const personDn = (uid: string) => `uid=${uid},ou=people,${LDAP_SUFFIX}`;
  return {
    url,
    tlsUrl,
    caFile: path.join(dir, 'ca.pem'),
    personDn,
    /** Locks the account the way an OpenLDAP admin does (ppolicy): it can no longer bind, and the
     *  preset's active filter no longer finds it. */
    lock(uid: string) {
      ldap(
        'ldapmodify',
        `dn: ${personDn(uid)}\nchangetype: modify\nadd: pwdAccountLockedTime\npwdAccountLockedTime: 000001010000Z\n`,
      );
    },
    unlock(uid: string) {
      ldap('ldapmodify', `dn: ${personDn(uid)}\nchangetype: modify\ndelete: pwdAccountLockedTime\n`);
    },
    /** Stops answering (a directory outage) until `resume`. */
    pause: () => proc.kill('SIGSTOP'),
    resume: () => proc.kill('SIGCONT'),
    async stop() {
      proc.kill('SIGCONT');
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (proc.exitCode === null) proc.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type Slapd = Awaited<ReturnType<typeof startSlapd>>;
