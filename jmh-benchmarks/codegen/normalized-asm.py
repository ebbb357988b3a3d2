"""The last C2 (non-OSR) compilation of a method, from a JVM log written with
-XX:CompileCommand=print,<method> (the hex dump HotSpot prints without a disassembler plugin),
disassembled with objdump and normalized: addresses and other constants of 6 or more hex digits
(oops, metadata, call targets) become ADDR, so two runs of the same code print the same lines.

usage: normalized-asm.py LOG METHOD_NAME > out.asm   (prints the code size on stderr)
"""
import re
import subprocess
import sys

log, stub = sys.argv[1], sys.argv[2]
lines=open(log,errors='replace').read().split('\n')
starts=[i for i,l in enumerate(lines) if l.startswith('Compiled method (c2)') and stub in l and ' % ' not in l]
if not starts: sys.exit("no c2 compile of "+stub)
st=starts[-1]
end=next((i for i in range(st+1,len(lines)) if lines[i].startswith('Compiled method') or lines[i].startswith('-------')),len(lines))
mem={}
for l in lines[st:end]:
    m=re.match(r'\s*0x([0-9a-f]+): ([0-9a-f| ]+)$',l)
    if not m: continue
    a=int(m.group(1),16); hx=m.group(2).replace('|','').replace(' ','')
    for i in range(0,len(hx),2): mem[a+i//2]=int(hx[i:i+2],16)
lo=min(mem); hi=max(mem)
open(log + '.bin', 'wb').write(bytes(mem.get(i,0x90) for i in range(lo,hi+1)))
out=subprocess.run(['objdump','-D','-b','binary','-mi386:x86-64','-M','intel','--adjust-vma=%#x'%lo,log + '.bin'],capture_output=True,text=True).stdout
res=[]
for l in out.split('\n'):
    m=re.match(r'\s*[0-9a-f]+:\t(?:[0-9a-f]{2} )+\s*\t(.*)$',l)
    if not m: continue
    ins=re.sub(r'0x[0-9a-f]{6,}','ADDR',m.group(1)).strip()
    res.append(ins)
print('\n'.join(res))
print("# bytes: %d"%(hi-lo+1),file=sys.stderr)
