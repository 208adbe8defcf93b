package dev.pipescope.kernel;

import com.google.gson.annotations.SerializedName;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.messages.ContentType;
import org.dflib.jjava.jupyter.messages.MessageType;

import java.util.List;

/** kernel_info_reply with the "status" field the protocol requires (jjava's reply leaves it out). */
@SuppressWarnings("unused") // fields are serialized by Gson
final class KernelInfoOkReply implements ContentType<KernelInfoOkReply> {

    private final String status = "ok";
    @SerializedName("protocol_version")
    private final String protocolVersion;
    private final String implementation;
    @SerializedName("implementation_version")
    private final String implementationVersion;
    @SerializedName("language_info")
    private final LanguageInfo languageInfo;
    private final String banner;
    @SerializedName("help_links")
    private final List<HelpLink> helpLinks;

    KernelInfoOkReply(String protocolVersion, String implementation, String implementationVersion,
                      LanguageInfo languageInfo, String banner, List<HelpLink> helpLinks) {
        this.protocolVersion = protocolVersion;
        this.implementation = implementation;
        this.implementationVersion = implementationVersion;
        this.languageInfo = languageInfo;
        this.banner = banner;
        this.helpLinks = helpLinks;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public MessageType<KernelInfoOkReply> getType() {
        return (MessageType) MessageType.KERNEL_INFO_REPLY;
    }
}
