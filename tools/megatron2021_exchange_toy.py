#!/usr/bin/env python3
"""Bound on what Megatron-LM 2021's blocking point-to-point costs the interleaved schedule.

Megatron-LM 2021 (megatron/schedules.py forward_backward_pipelining_with_interleaving, used for the
interleaved rows of Narayanan et al. SC'21 Table 1) sends and receives in one batched exchange after
every warm-up forward, every steady-state forward+backward pair and every cool-down backward, waits on
all of it and synchronises the device (megatron/p2p_communication.py). Which exchanges receive is set
by its recv_prev / recv_next flags (the first stage runs p - 1 forwards ahead of the last), and NCCL
pairs the i-th send to a peer with the i-th receive from it. This toy walks that protocol with equal
chunks (forward tf = 1, backward tb = 3 as with full recomputation) and a transfer time c per exchange,
and compares it with asynchronous sends (what the simulator's engine does). At c = 0 both give the
closed form (m + (p - 1)/v)(tf + tb) (asserted). Not part of the simulator; analysis for docs/pipeline.md.
"""
import sys, heapq
def chunk_id(k,p,v,fwd):
    g=k%(p*v); c=g//p
    return c if fwd else v-c-1
def mb_of(k,p,v): return k//(p*v)*p + (k%(p*v))%p

def steps(d,p,v,m):
    total=m*v
    warm = total if m==p else min(2*(p-d-1)+(v-1)*p, total)
    first = d==0; last = d==p-1
    S=[]  # each: (ops, sendNext, sendPrev, recvPrev, recvNext); ops = list of (fwd,k)
    # initial recv_forward
    S.append(([],None,None, not first, False))
    for k in range(warm):
        c=chunk_id(k,p,v,True); out = None if (last and c==v-1) else ('F',c*p+d,mb_of(k,p,v))
        nc=chunk_id(k+1,p,v,True)
        rp=True
        if first and nc==0: rp=False
        if k==total-1: rp=False
        rn=False
        if k==warm-1 and warm<total:
            rn = not last
        S.append(([(True,k)],out,None,rp,rn))
    rem=total-warm
    for k in range(rem):
        fk=k+warm; bk=k
        fc=chunk_id(fk,p,v,True); bc=chunk_id(bk,p,v,False)
        out=None if (last and fc==v-1) else ('F',fc*p+d,mb_of(fk,p,v))
        grad=None if (first and bc==0) else ('B',bc*p+d,mb_of(bk,p,v))
        rp=True
        if first:
            nfc=chunk_id(fk-(p-1),p,v,True)
            if nfc==v-1: rp=False
        rn=True
        if last:
            nbc=chunk_id(bk-(p-1),p,v,False)
            if nbc==0: rn=False
        if k==rem-1: rp=False
        S.append(([(True,fk),(False,bk)],out,grad,rp,rn))
    for k in range(rem,total):
        bc=chunk_id(k,p,v,False)
        grad=None if (first and bc==0) else ('B',bc*p+d,mb_of(k,p,v))
        nbc=chunk_id(k+1,p,v,False)
        rn=True
        if last and nbc==v-1: rn=False
        if k==total-1: rn=False
        S.append(([(False,k)],None,grad,False,rn))
    return S

def blocking(p,v,m,tf,tb,c):
    S=[steps(d,p,v,m) for d in range(p)]
    # event-free iterative: each device walks its steps; exchange i completes when matched peers have posted.
    # channels: fwd d->d+1 (FIFO), bwd d->d-1 (FIFO). Post time of each send / recv.
    from collections import defaultdict
    sendpost=defaultdict(list); recvpost=defaultdict(list)
    idx=[0]*p; t=[0.0]*p; pend=[None]*p
    # iterate until all done: a device at step s computes its ops (starting at t), posts exchange, waits.
    done=[False]*p
    exch_info=[None]*p
    progress=True
    while progress:
        progress=False
        for d in range(p):
            if done[d]: continue
            if exch_info[d] is None:
                if idx[d]>=len(S[d]): done[d]=True; progress=True; continue
                ops,sn,sp,rp,rn=S[d][idx[d]]
                for f,k in ops: t[d]+= tf if f else tb
                items=[]
                if sn: ch=('f',d,(d+1)%p); sendpost[ch].append(t[d]); items.append(('s',ch,len(sendpost[ch])-1))
                if sp: ch=('b',d,(d-1)%p); sendpost[ch].append(t[d]); items.append(('s',ch,len(sendpost[ch])-1))
                if rp: ch=('f',(d-1)%p,d); recvpost[ch].append(t[d]); items.append(('r',ch,len(recvpost[ch])-1))
                if rn: ch=('b',(d+1)%p,d); recvpost[ch].append(t[d]); items.append(('r',ch,len(recvpost[ch])-1))
                exch_info[d]=items; progress=True
            # try to complete
            items=exch_info[d]; end=t[d]; ok=True
            for kind,ch,i in items:
                other = recvpost[ch] if kind=='s' else sendpost[ch]
                if len(other)<=i: ok=False; break
                end=max(end, max(sendpost[ch][i], recvpost[ch][i])+c)
            if ok:
                t[d]=end; exch_info[d]=None; idx[d]+=1; progress=True
    if not all(done): return None
    return max(t)

def asynchronous(p,v,m,tf,tb,c):
    # event-driven by repeated relaxation: op starts at max(device free, input arrival)
    order=[]
    for d in range(p):
        total=m*v; warm= total if m==p else min(2*(p-d-1)+(v-1)*p,total)
        ops=[(True,k) for k in range(warm)]
        f=warm;b=0
        while f<total: ops.append((True,f)); f+=1; ops.append((False,b)); b+=1
        while b<total: ops.append((False,b)); b+=1
        order.append(ops)
    vsN=p*v
    fin={}  # ('F'|'B', vs, mb) -> finish time
    idx=[0]*p; t=[0.0]*p; prog=True
    while prog:
        prog=False
        for d in range(p):
            while idx[d]<len(order[d]):
                f,k=order[d][idx[d]]
                cch=chunk_id(k,p,v,f); vs=cch*p+d; mb=mb_of(k,p,v)
                if f: need = None if vs==0 else ('F',vs-1,mb)
                else: need = ('F',vs,mb) if vs==vsN-1 else ('B',vs+1,mb)
                if need is not None and need not in fin: break
                arr = 0 if need is None else fin[need] + (0 if (need[1]%p)==d else c)
                start=max(t[d],arr); t[d]=start+(tf if f else tb)
                fin[('F' if f else 'B',vs,mb)]=t[d]; idx[d]+=1; prog=True
    return max(t)

if __name__=='__main__':
    for (name,p,v,m) in [('76.1b',4,3,28),('145.6b',8,2,48),('310.1b',16,2,144),('529.6b',35,3,280)]:
        tf=1.0; tb=3.0  # full recomputation: backward = recompute + 2x forward
        for c in [0.0,0.01,0.03]:
            a=asynchronous(p,v,m,tf,tb,c); b=blocking(p,v,m,tf,tb,c)
            ideal=m*v*(tf+tb)
            if c==0: assert abs(a-(m+(p-1)/v)*v*(tf+tb))<1e-9 and abs(b-a)<1e-9
            print(name,'c/tf',c,'async',round(a/ideal,4),'blocking',None if b is None else round(b/ideal,4))
