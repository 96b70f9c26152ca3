/** "required": every call needs a key; "rest": REST calls need one (the tRPC client always sends one). */
export type KeyPolicy = "required" | "rest" | "optional";
