import re, os, sys
EXPLICIT = {
 'agencyPage.notFound':'error.agency.notFound',
 'api.badJson':'error.api.badJson','api.badToken':'error.api.badToken','api.idempotencyKey':'error.api.idempotencyKey',
 'api.mediaType':'error.api.mediaType','api.unauthorized':'error.api.unauthorized',
 'checkin.noDigest':'error.checkin.noDigest','checkin.notFound':'error.checkin.notFound','checkin.skippedHoliday':'error.checkin.skippedHoliday',
 'imports.notFound':'error.import.notFound','item.notFound':'error.item.notFound','ls.notFound':'error.lifeSituation.notFound',
 'svc.check.notFound':'error.svc.check.notFound','svc.ls.notFound':'error.svc.lifeSituation.notFound','svc.notFound':'error.svc.notFound',
}
Q = r"""(['"`])"""
rules = [
 (re.compile(Q + r"svc\.import\.err\."), r"\1error.svc.import."),
 (re.compile(Q + r"svc\.err\."), r"\1error.svc."),
 (re.compile(Q + r"err\."), r"\1error."),
]
for k,v in EXPLICIT.items():
  rules.append((re.compile(Q + re.escape(k) + r"\1"), r"\1" + v + r"\1"))
changed=[]
for root in sys.argv[1:]:
  for dp, dn, fn in os.walk(root):
    if 'node_modules' in dp or '/fixtures' in dp: continue
    for f in fn:
      if not re.search(r'\.(tsx?|md)$', f): continue
      p=os.path.join(dp,f); s=open(p).read(); s2=s
      for r,rep in rules: s2=r.sub(rep,s2)
      if s2!=s: open(p,'w').write(s2); changed.append(p)
print(len(changed)); print('\n'.join(changed))
