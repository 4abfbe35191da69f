const {parser}=require('@lezer/python');
const src=process.argv[2];
const t=parser.parse(src);
const c=t.cursor(); let depth=0; const out=[];
function walk(){ do { out.push('  '.repeat(depth)+c.name+' '+JSON.stringify(src.slice(c.from,c.to).slice(0,40))); if(c.firstChild()){depth++; walk(); depth--; c.parent();} } while(c.nextSibling()); }
walk(); console.log(out.join('\n'));
