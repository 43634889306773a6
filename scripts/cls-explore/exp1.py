import sys; sys.path.insert(0,__import__('os').path.dirname(__import__('os').path.abspath(__file__)))
from common import *
import pickle, time
from sklearn.preprocessing import normalize as l2
from sklearn.linear_model import LogisticRegression, SGDClassifier, RidgeClassifier
from sklearn.svm import LinearSVC
V,y,f=pickle.load(open(WORK+'/views.pkl','rb'))
def tfidf(Xtr,Xte):
    t=TfidfTransformer(sublinear_tf=True, smooth_idf=True, norm=None).fit(Xtr)
    return t.transform(Xtr), t.transform(Xte)
def block(names, tr, te, w=1.0):
    X=sp.hstack([V[k] for k in names]).tocsr()
    a,b=tfidf(X[tr],X[te]); return l2(a)*w, l2(b)*w
def feats(tr,te, style=0.5):
    a,b=block(['w','t','c'],tr,te)
    if style:
        s1,s2=block(['s'],tr,te,style); a=sp.hstack([a,s1]).tocsr(); b=sp.hstack([b,s2]).tocsr()
    return a,b
def run(name, mk, style=0.5):
    pred=np.zeros(len(y),int); t=time.time()
    for k in range(5):
        tr=np.where(f!=k)[0]; te=np.where(f==k)[0]
        a,b=feats(tr,te,style)
        m=mk().fit(a,y[tr]); pred[te]=m.predict(b)
    report(name+f" ({time.time()-t:.0f}s)", y, pred, f)
if __name__=='__main__':
    run('LR C=100', lambda: LogisticRegression(C=100, max_iter=2000))
    run('LinearSVC C=0.5', lambda: LinearSVC(C=0.5))
    run('Ridge a=1', lambda: RidgeClassifier(alpha=1.0, solver='sparse_cg'))
