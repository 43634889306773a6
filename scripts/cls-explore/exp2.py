import sys; sys.path.insert(0,__import__('os').path.dirname(__import__('os').path.abspath(__file__)))
from exp1 import *
from sklearn.naive_bayes import ComplementNB, MultinomialNB
def nbsvm_run(name, Xfun, C=1.0, beta=None, alpha=1.0, loss='lr'):
    pred=np.zeros(len(y),int); t=time.time()
    for k in range(5):
        tr=np.where(f!=k)[0]; te=np.where(f==k)[0]
        a,b=Xfun(tr,te)
        ab=(a>0).astype(np.float64)
        S=np.zeros((len(te),6))
        for c in range(6):
            pos=ab[y[tr]==c].sum(0).A1+alpha; neg=ab[y[tr]!=c].sum(0).A1+alpha
            r=np.log((pos/pos.sum())/(neg/neg.sum()))
            R=sp.diags(r)
            yc=(y[tr]==c).astype(int)
            if loss=='lr': m=LogisticRegression(C=C,max_iter=1000)
            else: m=LinearSVC(C=C)
            m.fit(a@R,yc)
            S[:,c]=m.decision_function(b@R)
        pred[te]=S.argmax(1)
    return report(name+f" ({time.time()-t:.0f}s)", y, pred, f)
def binfeat(names, style=0.5):
    def g(tr,te):
        X=sp.hstack([V[k] for k in names]).tocsr(); X=(X>0).astype(np.float64)
        return l2(X[tr]), l2(X[te])
    return g
if __name__=='__main__':
    nbsvm_run('NBSVM-svm binary w+t+c C=1', binfeat(['w','t','c']), C=1, loss='svm')
    nbsvm_run('NBSVM-svm tfidf feats(style .5) C=1', feats, C=1, loss='svm')
    nbsvm_run('NBSVM-lr tfidf feats(style .5) C=10', feats, C=10, loss='lr')
