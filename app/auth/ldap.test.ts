import { describe, expect, it } from 'vitest';
import { directoryLogin, escapeDnValue, rdnValue } from './ldap.ts';

describe('LDAP names', () => {
  it('escapes values put into a DN', () => {
    expect(escapeDnValue('ivanov')).toBe('ivanov');
    expect(escapeDnValue('a,b+c"d\\e<f>g;h=i')).toBe('a\\,b\\+c\\"d\\\\e\\<f\\>g\\;h\\=i');
    expect(escapeDnValue('#lead ')).toBe('\\#lead\\ ');
    expect(escapeDnValue(' x')).toBe('\\ x');
  });

  it('takes a group name from its DN and a login from DOMAIN\\login', () => {
    expect(rdnValue('cn=shtab-executors,ou=groups,dc=region,dc=test')).toBe('shtab-executors');
    expect(rdnValue('CN=Штаб\\, исполнители,OU=Groups,DC=r,DC=ru')).toBe('Штаб, исполнители');
    expect(directoryLogin('REGION\\ivanov')).toBe('ivanov');
    expect(directoryLogin('  petrov ')).toBe('petrov');
  });
});
