import sys; sys.path.insert(0,__import__('os').path.dirname(__import__('os').path.abspath(__file__)))
from exp4 import *
from sklearn.linear_model import SGDClassifier
from sklearn.naive_bayes import ComplementNB
def runm(name, g, mk):
    pred=np.zeros(len(y),int); t=time.time()
    for k in range(5):
        tr=np.where(f!=k)[0]; te=np.where(f==k)[0]
        a,b=g(tr,te); pred[te]=mk().fit(a,y[tr]).predict(b)
    return report(name+f" ({time.time()-t:.0f}s)", y, pred, f)
runm('base + char2-5 in content', mfeats([(['w','t','c','c25'],1,True),(['s'],0.5,True)]), lambda: LinearSVC(C=0.5))
runm('SGD modified_huber a=1e-5 50ep', mfeats(base), lambda: SGDClassifier(loss='modified_huber',alpha=1e-5,max_iter=50,tol=None,random_state=0,average=True))
# CNB on raw counts (content) + style
def cnt(tr,te):
    X=sp.hstack([V['w'],V['t'],V['c'],V['s']]).tocsr().astype(float); return X[tr],X[te]
runm('ComplementNB counts all views a=0.3', cnt, lambda: ComplementNB(alpha=0.3))
# ensemble: view-wise LR probabilities averaged
from sklearn.linear_model import LogisticRegression
pred=np.zeros(len(y),int); t=time.time()
for k in range(5):
    tr=np.where(f!=k)[0]; te=np.where(f==k)[0]; P=0
    for names in (['w','t'],['c'],['c25'],['s'],['tb'],['ld']):
        a,b=block(names,tr,te); P=P+np.log(LogisticRegression(C=20,max_iter=500).fit(a,y[tr]).predict_proba(b)+1e-9)
    pred[te]=P.argmax(1)
report(f'product of per-view LR probs (6 views) ({time.time()-t:.0f}s)',y,pred,f)
