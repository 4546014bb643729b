/*
 * winipc/msvc.h - MSVC's compiler spellings and Microsoft's source annotations (SAL),
 * for systems other than Windows. Included by winipc/win32.h; not for direct use.
 *
 * __declspec(x) becomes the GCC attribute that means the same, through a table of
 * names (WINIPC_DECLSPEC_<name>): dllexport is default visibility, dllimport
 * nothing, selectany a weak definition, align(n) aligned(n), thread a __thread
 * variable; noinline, noreturn, naked, nothrow and deprecated("why") are GCC's own.
 * A __declspec the table does not know is a GCC "attribute ignored" warning, which
 * names it. Calling conventions are no-ops (x86-64 Linux has one), SAL annotations
 * expand to nothing.
 */
#ifndef WINIPC_MSVC_H
#define WINIPC_MSVC_H

/* ---- __declspec ------------------------------------------------------------------- */
#ifndef __declspec
#define __declspec(x) __attribute__((WINIPC_DECLSPEC_##x))
#endif
#define WINIPC_DECLSPEC_dllexport visibility("default")
#define WINIPC_DECLSPEC_dllimport
#define WINIPC_DECLSPEC_noinline noinline
#define WINIPC_DECLSPEC_noreturn noreturn
#define WINIPC_DECLSPEC_naked naked
#define WINIPC_DECLSPEC_nothrow nothrow
#define WINIPC_DECLSPEC_deprecated deprecated /* also deprecated("text") */
#define WINIPC_DECLSPEC_align aligned         /* align(16): aligned(16) */
#define WINIPC_DECLSPEC_selectany weak        /* one of several identical definitions */
#define WINIPC_DECLSPEC_restrict malloc       /* on a function: returns unaliased memory */
/* thread is a storage class, not an attribute: close the attribute list around it. */
#define WINIPC_DECLSPEC_thread )) __thread __attribute__((
#define WINIPC_DECLSPEC_novtable
#define WINIPC_DECLSPEC_noalias
#define WINIPC_DECLSPEC_allocator
#define WINIPC_DECLSPEC_safebuffers
#define WINIPC_DECLSPEC_empty_bases
#define WINIPC_DECLSPEC_uuid(x)
#define WINIPC_DECLSPEC_property(...)
#define WINIPC_DECLSPEC_code_seg(x)

/* ---- Keywords and calling conventions -------------------------------------------- */
#ifndef __forceinline
#define __forceinline __inline__ __attribute__((__always_inline__))
#endif
#ifndef __fastcall
#define __fastcall
#endif
#ifndef __thiscall
#define __thiscall
#endif
#ifndef __vectorcall
#define __vectorcall
#endif
#ifndef __clrcall
#define __clrcall
#endif
#define __w64
#define __ptr32
#define __ptr64
#define __unaligned
/* MSVC's sized integer keywords: `unsigned __int64` works as a macro, too. */
#define __int8 char
#define __int16 short
#define __int32 int
#define __int64 long long
#define __noop(...) ((void)0)
#define __assume(e) ((e) ? (void)0 : __builtin_unreachable())
#define __pragma(x) _Pragma(#x)
#define __FUNCSIG__ __PRETTY_FUNCTION__
#define __FUNCDNAME__ __func__

/* winnt.h's spellings of the same. */
#define WINAPIV
#define APIPRIVATE
#define PASCAL
#define FAR
#define NEAR
#define FORCEINLINE __forceinline
#define DECLSPEC_IMPORT __declspec(dllimport)
#define DECLSPEC_EXPORT __declspec(dllexport)
#define DECLSPEC_NORETURN __declspec(noreturn)
#define DECLSPEC_NOINLINE __declspec(noinline)
#define DECLSPEC_NOTHROW __declspec(nothrow)
#define DECLSPEC_SELECTANY __declspec(selectany)
#define DECLSPEC_NOVTABLE
#define DECLSPEC_ALIGN(x) __attribute__((aligned(x)))
#define DECLSPEC_CACHEALIGN DECLSPEC_ALIGN(64)
#define DECLSPEC_DEPRECATED __declspec(deprecated)
#define DEPRECATE_SUPPORTED
#define NTSYSAPI DECLSPEC_IMPORT
#define NTSYSCALLAPI DECLSPEC_IMPORT
#ifdef __cplusplus
#define EXTERN_C extern "C"
#define EXTERN_C_START extern "C" {
#define EXTERN_C_END }
#define C_ASSERT(e) static_assert((e), #e)
#else
#define EXTERN_C extern
#define EXTERN_C_START
#define EXTERN_C_END
#define C_ASSERT(e) _Static_assert((e), #e)
#endif
#define DBG_UNREFERENCED_PARAMETER(p) (void)(p)
#define DBG_UNREFERENCED_LOCAL_VARIABLE(v) (void)(v)

/* ---- SAL 2 annotations (sal.h): documentation for the analyser, nothing to GCC -------- */
#define _In_
#define _In_opt_
#define _In_z_
#define _In_opt_z_
#define _In_reads_(size)
#define _In_reads_opt_(size)
#define _In_reads_bytes_(size)
#define _In_reads_bytes_opt_(size)
#define _In_reads_z_(size)
#define _In_reads_opt_z_(size)
#define _In_reads_or_z_(size)
#define _In_reads_to_ptr_(ptr)
#define _In_range_(lb, ub)
#define _In_defensive_(annotes)
#define _Out_
#define _Out_opt_
#define _Out_z_
#define _Out_writes_(size)
#define _Out_writes_opt_(size)
#define _Out_writes_bytes_(size)
#define _Out_writes_bytes_opt_(size)
#define _Out_writes_z_(size)
#define _Out_writes_opt_z_(size)
#define _Out_writes_to_(size, count)
#define _Out_writes_to_opt_(size, count)
#define _Out_writes_all_(size)
#define _Out_writes_all_opt_(size)
#define _Out_writes_bytes_to_(size, count)
#define _Out_writes_bytes_to_opt_(size, count)
#define _Out_writes_bytes_all_(size)
#define _Out_writes_bytes_all_opt_(size)
#define _Out_writes_to_ptr_(ptr)
#define _Out_range_(lb, ub)
#define _Inout_
#define _Inout_opt_
#define _Inout_z_
#define _Inout_opt_z_
#define _Inout_updates_(size)
#define _Inout_updates_opt_(size)
#define _Inout_updates_z_(size)
#define _Inout_updates_opt_z_(size)
#define _Inout_updates_to_(size, count)
#define _Inout_updates_all_(size)
#define _Inout_updates_bytes_(size)
#define _Inout_updates_bytes_opt_(size)
#define _Inout_updates_bytes_to_(size, count)
#define _Inout_updates_bytes_all_(size)
#define _Outptr_
#define _Outptr_opt_
#define _Outptr_result_maybenull_
#define _Outptr_opt_result_maybenull_
#define _Outptr_result_z_
#define _Outptr_opt_result_z_
#define _Outptr_result_maybenull_z_
#define _Outptr_result_nullonfailure_
#define _Outptr_opt_result_nullonfailure_
#define _Outptr_result_buffer_(size)
#define _Outptr_opt_result_buffer_(size)
#define _Outptr_result_buffer_maybenull_(size)
#define _Outptr_result_bytebuffer_(size)
#define _Outptr_opt_result_bytebuffer_(size)
#define _Outptr_result_bytebuffer_maybenull_(size)
#define _Outptr_result_buffer_to_(size, count)
#define _Outptr_result_bytebuffer_to_(size, count)
#define _Outref_
#define _Outref_result_maybenull_
#define _COM_Outptr_
#define _COM_Outptr_opt_
#define _COM_Outptr_result_maybenull_
#define _Deref_out_
#define _Deref_out_opt_
#define _Deref_out_z_
#define _Deref_out_range_(lb, ub)
#define _Deref_pre_z_
#define _Deref_post_z_
#define _Ret_
#define _Ret_z_
#define _Ret_opt_
#define _Ret_null_
#define _Ret_notnull_
#define _Ret_maybenull_
#define _Ret_maybenull_z_
#define _Ret_valid_
#define _Ret_range_(lb, ub)
#define _Ret_writes_(size)
#define _Ret_writes_z_(size)
#define _Ret_writes_maybenull_(size)
#define _Ret_writes_bytes_(size)
#define _Ret_writes_bytes_maybenull_(size)
#define _Ret_writes_to_(size, count)
#define _Ret_writes_bytes_to_(size, count)
#define _Result_nullonfailure_
#define _Result_zeroonfailure_
#define _Success_(expr)
#define _Return_type_success_(expr)
#define _Check_return_
#define _Must_inspect_result_
#define _Use_decl_annotations_
#define _Reserved_
#define _Const_
#define _Null_
#define _Notnull_
#define _Maybenull_
#define _Valid_
#define _Notvalid_
#define _Null_terminated_
#define _NullNull_terminated_
#define _Literal_
#define _Notliteral_
#define _Pre_
#define _Post_
#define _Pre_z_
#define _Post_z_
#define _Pre_null_
#define _Post_null_
#define _Pre_notnull_
#define _Post_notnull_
#define _Pre_maybenull_
#define _Post_maybenull_
#define _Pre_valid_
#define _Post_valid_
#define _Pre_invalid_
#define _Post_invalid_
#define _Post_ptr_invalid_
#define _Pre_readable_size_(size)
#define _Pre_writable_size_(size)
#define _Pre_readable_byte_size_(size)
#define _Pre_writable_byte_size_(size)
#define _Post_readable_size_(size)
#define _Post_writable_size_(size)
#define _Post_readable_byte_size_(size)
#define _Post_writable_byte_size_(size)
#define _Pre_satisfies_(cond)
#define _Post_satisfies_(cond)
#define _Satisfies_(cond)
#define _Pre_equal_to_(expr)
#define _Post_equal_to_(expr)
#define _Unchanged_(e)
#define _When_(expr, annos)
#define _At_(target, annos)
#define _At_buffer_(target, iter, bound, annos)
#define _Always_(annos)
#define _On_failure_(annos)
#define _Group_(annos)
#define _Inexpressible_(size)
#define _Field_size_(size)
#define _Field_size_opt_(size)
#define _Field_size_bytes_(size)
#define _Field_size_bytes_opt_(size)
#define _Field_size_part_(size, count)
#define _Field_size_bytes_part_(size, count)
#define _Field_size_full_(size)
#define _Field_range_(lb, ub)
#define _Field_z_
#define _Struct_size_bytes_(size)
#define _Readable_bytes_(size)
#define _Readable_elements_(size)
#define _Writable_bytes_(size)
#define _Writable_elements_(size)
#define _Printf_format_string_
#define _Printf_format_string_params_(x)
#define _Scanf_format_string_
#define _Scanf_s_format_string_
#define _Format_string_impl_(kind, where)
#define _Frees_ptr_
#define _Frees_ptr_opt_
#define _Post_writable_byte_size_(size)
#define _Analysis_assume_(expr)
#define _Analysis_noreturn_
#define _Analysis_mode_(mode)
#define _Points_to_data_
#define _Interlocked_operand_
#define _Strict_type_match_
#define _Callback_
#define _Function_class_(x)
#define _Raises_SEH_exception_
#define _Translates_Win32_to_HRESULT_(errorCode)
#define _Acquires_lock_(lock)
#define _Releases_lock_(lock)
#define _Acquires_exclusive_lock_(lock)
#define _Releases_exclusive_lock_(lock)
#define _Acquires_shared_lock_(lock)
#define _Releases_shared_lock_(lock)
#define _Requires_lock_held_(lock)
#define _Requires_lock_not_held_(lock)
#define _Requires_no_locks_held_
#define _Guarded_by_(lock)
#define _Write_guarded_by_(lock)
#define _Has_lock_kind_(kind)
#define _Create_lock_level_(level)
#define _Lock_level_order_(a, b)
#define _No_competing_thread_
#define _Benign_race_begin_
#define _Benign_race_end_
#define __analysis_assume(expr)
#define __drv_aliasesMem
#define __drv_freesMem(kind)
#define __drv_allocatesMem(kind)

/*
 * The older __in/__out spellings, in C only: libstdc++ names parameters __out, so C++
 * code cannot have them as macros (mingw-w64's sal.h makes the same choice). Not
 * __reserved, __callback or __range: Linux's own headers use those as names (struct
 * futex_waitv's __reserved, for one), and a program includes them after <windows.h>.
 */
#ifndef __cplusplus
#define __in
#define __in_opt
#define __in_z
#define __in_ecount(size)
#define __in_bcount(size)
#define __in_ecount_opt(size)
#define __in_bcount_opt(size)
#define __out
#define __out_opt
#define __out_z
#define __out_ecount(size)
#define __out_bcount(size)
#define __out_ecount_opt(size)
#define __out_bcount_opt(size)
#define __out_ecount_part(size, length)
#define __out_bcount_part(size, length)
#define __inout
#define __inout_opt
#define __inout_z
#define __inout_ecount(size)
#define __inout_bcount(size)
#define __deref_out
#define __deref_out_opt
#define __deref_inout
#define __success(expr)
#define __checkReturn
#define __nullterminated
#define __format_string
#define __field_ecount(size)
#define __field_bcount(size)
#endif

#endif /* WINIPC_MSVC_H */
