/* Structure packing, as the SDK header sets it. */
#pragma pack(push, 1)
