import baseConfig from "../eslint.config.mjs";

export default [
    ...baseConfig,
    {
        ignores: [
            "**/out-tsc",
            "**/cdk.out"
        ]
    },
    {
        // Specs walk synthesised CloudFormation, which is untyped JSON.
        files: ["**/*.spec.ts"],
        rules: {
            "@typescript-eslint/no-explicit-any": "off"
        }
    }
];
