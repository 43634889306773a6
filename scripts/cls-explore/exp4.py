import sys; sys.path.insert(0,__import__('os').path.dirname(__import__('os').path.abspath(__file__)))
import exp1
from exp1 import *
def mfeats(spec):
    # spec: list of (names, weight, tfidf?)
    def g(tr,te):
        A=[];B=[]
        for names,w,tf in spec:
            if tf: a,b=block(names,tr,te,w)
            else:
                X=sp.hstack([V[k] for k in names]).tocsr().astype(float); a,b=X[tr]*w,X[te]*w
            A.append(a);B.append(b)
        return sp.hstack(A).tocsr(), sp.hstack(B).tocsr()
    return g
def run2(name, g, C=0.5):
    pred=np.zeros(len(y),int); t=time.time()
    for k in range(5):
        tr=np.where(f!=k)[0]; te=np.where(f==k)[0]
        a,b=g(tr,te); pred[te]=LinearSVC(C=C).fit(a,y[tr]).predict(b)
    return report(name+f" ({time.time()-t:.0f}s)", y, pred, f)
base=[(['w','t','c'],1,True),(['s'],0.5,True)]
if __name__=='__main__':
    run2('base', mfeats(base))
    run2('base+gaz .3', mfeats(base+[(['g'],0.3,False)]))
    run2('base+title-bi .5 + lead .5', mfeats(base+[(['tb'],0.5,True),(['ld'],0.5,True)]))
    run2('base+title-bi .5 + lead .5 + gaz .3', mfeats(base+[(['tb'],0.5,True),(['ld'],0.5,True),(['g'],0.3,False)]))
