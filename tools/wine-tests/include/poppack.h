/* Ends the packing pshpack1.h set. */
#pragma pack(pop)
