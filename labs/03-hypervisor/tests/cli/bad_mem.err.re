^vmm: --mem wants a size such as 64M, not 'lots'$
