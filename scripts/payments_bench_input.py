#!/usr/bin/env python3
"""The payments-only input of the payment-typology benchmark (BENCHMARKS.md, issue 12).

    python3 scripts/payments_bench_input.py 10000000 /tmp/pay10m/payments.csv

P payments among P/10 accounts over a year: 1 % merchants drawn by a power law, persons paying
them or friends nearby their habitual amount, merchants refunding; plus 500 slow rings and 500
split fan-ins. For timing, not for quality. Needs numpy. Deterministic (seed 7)."""
import numpy as np, sys
rng=np.random.default_rng(7)
P=int(sys.argv[1]); out=sys.argv[2]
N=P//10; M=N//100
start=1767225600; year=365*86400
src=np.empty(P,np.int64); dst=np.empty(P,np.int64); amt=np.empty(P,np.float64); ts=np.empty(P,np.int64)
persons=rng.integers(M,N,P)
roll=rng.random(P)
merch=np.minimum((np.exp(rng.random(P)*np.log(M+1))-1).astype(np.int64),M-1)
off=rng.integers(1,21,P)*np.where(rng.random(P)<0.5,1,-1)
friend=M+((persons-M+off)%(N-M))
habit=np.round(rng.lognormal(4.5,1.0,N),2)
src[:]=persons; dst[:]=np.where(roll<0.55,merch,friend)
m2=(roll>=0.55)&(roll<0.57); src[m2]=merch[m2]; dst[m2]=persons[m2]
amt[:]=np.where(roll<0.55,np.round(rng.lognormal(3.5,1.2,P),2),habit[src])
ts[:]=start+rng.integers(0,year,P)
k=0
def put(s,d,a,t):
    global k
    src[k]=s;dst[k]=d;amt[k]=a;ts[k]=t;k+=1
for r in range(500):
    size=rng.integers(3,8); mem=rng.integers(M,N,size); a=float(np.round(rng.uniform(1000,9000),2)); t=start+int(rng.integers(0,year-60*86400))
    for turn in range(3):
        x=a
        for h in range(size):
            put(mem[h],mem[(h+1)%size],round(x,2),t); x*=0.98; t+=int(rng.integers(86400,3*86400))
for f in range(500):
    mule=rng.integers(M,N); a=float(np.round(rng.uniform(2,20),2)); t=start+int(rng.integers(0,year-150*86400))
    for s in range(4):
        snd=rng.integers(M,N)
        for _ in range(int(rng.integers(1,6))): put(snd,mule,a,t+s*30*86400)
o=np.argsort(ts,kind='stable')
with open(out,'w') as fh:
    fh.write('id,src,dst,amount,ts\n')
    B=1_000_000
    for i in range(0,P,B):
        j=o[i:i+B]
        lines=[f'p{n},a{s},a{d},{x:.2f},{t}' for n,s,d,x,t in zip(range(i,i+len(j)),src[j],dst[j],amt[j],ts[j])]
        fh.write('\n'.join(lines)+'\n')
