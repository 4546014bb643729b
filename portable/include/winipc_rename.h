/*
 * winipc_rename.h (portable backend) - renames nothing. The Linux backend's copy is
 * generated (posix/trace.c): there every Win32 function X is winipc__impl_X inside the
 * library and the exported X picks a tracing wrapper at load time through an IFUNC,
 * which is ELF and GNU only. The portable backend exports X itself and has no tracing.
 */
