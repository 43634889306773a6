import sys; sys.path.insert(0,__import__('os').path.dirname(__import__('os').path.abspath(__file__)))
from exp1 import *
from sklearn.metrics import confusion_matrix
import json
raw=[json.loads(l) for l in open('../shared/data/arabic-news/dev.jsonl')]
src=np.array([r['source'] for r in raw])
pred=np.zeros(len(y),int)
for k in range(5):
    tr=np.where(f!=k)[0]; te=np.where(f==k)[0]
    a,b=feats(tr,te); pred[te]=LinearSVC(C=0.5).fit(a,y[tr]).predict(b)
print(confusion_matrix(y,pred))
for s in sorted(set(src)):
    m=src==s; print(s, m.sum(), 'acc %.3f'%(pred[m]==y[m]).mean())
    print(confusion_matrix(y[m],pred[m],labels=range(6)))
np.save(WORK+'/pred_svc.npy',pred)
