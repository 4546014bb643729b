/*
 * security.c - security descriptors, and the permissions of new objects.
 *
 * winipc interprets one idiom of Windows security: a descriptor whose DACL is present
 * and NULL opens an object to everyone. Everything else gets the default: private to
 * its creator.
 */
#include "internal.h"

#include <string.h>

BOOL WINAPI InitializeSecurityDescriptor(PSECURITY_DESCRIPTOR sd, DWORD revision)
{
    if (!sd || winipc__bad_pointer(sd))
        return winipc__fail(FALSE, ERROR_NOACCESS);
    if (revision != SECURITY_DESCRIPTOR_REVISION)
        return winipc__fail(FALSE, ERROR_UNKNOWN_REVISION);
    memset(sd, 0, sizeof(SECURITY_DESCRIPTOR));
    ((SECURITY_DESCRIPTOR *)sd)->Revision = SECURITY_DESCRIPTOR_REVISION;
    return TRUE;
}

BOOL WINAPI SetSecurityDescriptorDacl(PSECURITY_DESCRIPTOR psd, BOOL present, PACL dacl,
                                      BOOL defaulted)
{
    SECURITY_DESCRIPTOR *sd = psd;

    if (!sd || winipc__bad_pointer(sd))
        return winipc__fail(FALSE, ERROR_NOACCESS);
    if (sd->Revision != SECURITY_DESCRIPTOR_REVISION)
        return winipc__fail(FALSE, ERROR_UNKNOWN_REVISION);
    sd->Control &= (WORD) ~(SE_DACL_PRESENT | SE_DACL_DEFAULTED);
    sd->Dacl = NULL;
    if (present) {
        sd->Control |= SE_DACL_PRESENT;
        sd->Dacl = dacl;
        if (defaulted)
            sd->Control |= SE_DACL_DEFAULTED;
    }
    return TRUE;
}

/*
 * Objects are private to their user (0600), except Global\ objects created with a
 * security descriptor whose DACL is present and NULL -- the Windows idiom for "open
 * to everyone" -- which are 0666.
 * Differs from Windows: ACLs other than the NULL DACL are not interpreted.
 */
DWORD winipc__object_mode(const struct winipc__name *name, const SECURITY_ATTRIBUTES *sa,
                          mode_t *mode)
{
    const SECURITY_DESCRIPTOR *sd;

    *mode = 0600;
    if (winipc__bad_pointer(sa))
        return ERROR_NOACCESS;
    sd = sa ? sa->lpSecurityDescriptor : NULL;
    if (winipc__bad_pointer(sd))
        return ERROR_NOACCESS; /* captured, so checked, whatever the namespace */
    if (name->global && sd && (sd->Control & SE_DACL_PRESENT) && !sd->Dacl)
        *mode = 0666;
    return 0;
}
