import pino from 'pino';

/** JSON logs; anything that looks like a secret is redacted before it is written. */
export function createLogger(level: string, name = 'shtab') {
  return pino({
    name,
    level,
    redact: {
      paths: [
        'password',
        '*.password',
        'password_hash',
        '*.password_hash',
        'token',
        '*.token',
        'cookie',
        '*.cookie',
        'headers.cookie',
        'headers.authorization',
        'databaseUrl',
        '*.databaseUrl',
        'smtpUrl',
        '*.smtpUrl',
        'csrf_token',
        '*.csrf_token',
        'clientSecret',
        '*.clientSecret',
        'bindPassword',
        '*.bindPassword',
        'refreshToken',
        '*.refreshToken',
        'idp_refresh_token',
        '*.idp_refresh_token',
      ],
      censor: '***',
    },
  });
}

export type Logger = pino.Logger;
